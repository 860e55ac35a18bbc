import type { DependencyEdge } from './api-client.ts';
import { el, svg } from './dom.ts';
import { formatNumber, plural } from './format.ts';
import { go, pageHref } from './router.ts';

// The trace list of the spans that called a database node (`mysql 10.0.0.5`).
function databaseTraces(node: string): string {
  const at = node.indexOf(' ');
  const query = new URLSearchParams();
  query.append('attr', `db.system.name=${at < 0 ? node : node.slice(0, at)}`);
  if (at >= 0) query.append('attr', `server.address=${node.slice(at + 1)}`);
  return pageHref('traces', query);
}

const columnWidth = 290;
const rowHeight = 74;
const nodeWidth = 156;
const nodeHeight = 36;

/**
 * The service map: a node per service and per database or cache the services call, an arrow
 * from caller to called labelled with its calls and errors. Services are laid out in columns by how deep in the call chains they
 * sit, callers on the left.
 */
export function serviceMap(
  services: string[],
  edges: DependencyEdge[],
  selected: string | undefined,
  onSelect: (service: string) => void,
): HTMLElement {
  const names = [...new Set([...services, ...edges.flatMap((e) => [e.parent, e.child])])].sort();
  const depth = levels(names, edges);
  // Services without calls to or from others go in a row below the map.
  const linked = new Set(edges.flatMap((e) => [e.parent, e.child]));
  const columns = new Map<number, string[]>();
  for (const name of names.filter((n) => linked.has(n))) {
    columns.set(depth.get(name)!, [...(columns.get(depth.get(name)!) ?? []), name]);
  }
  const maxRows = Math.max(1, ...[...columns.values()].map((c) => c.length));
  const maxDepth = Math.max(0, ...columns.keys());
  const position = new Map<string, { x: number; y: number }>();
  for (const [column, members] of columns) {
    const top = ((maxRows - members.length) * rowHeight) / 2;
    for (const [i, name] of members.entries()) {
      position.set(name, { x: 20 + column * columnWidth, y: 20 + top + i * rowHeight });
    }
  }
  const lone = names.filter((n) => !linked.has(n));
  const loneY = linked.size > 0 ? 20 + maxRows * rowHeight + rowHeight * 0.9 : 20;
  for (const [i, name] of lone.entries()) {
    position.set(name, { x: 20 + i * (nodeWidth + 24), y: loneY });
  }
  const width = Math.max(
    40 + maxDepth * columnWidth + nodeWidth,
    20 + lone.length * (nodeWidth + 24),
  );
  const height =
    (lone.length > 0 ? loneY + nodeHeight : 20 + maxRows * rowHeight + rowHeight * 0.9) + 20;
  const map = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    class: 'service-map',
    id: 'service-map',
    role: 'img',
    'aria-label': 'Service map',
  });
  map.append(
    svg(
      'defs',
      {},
      svg(
        'marker',
        {
          id: 'arrow',
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 7,
          markerHeight: 7,
          orient: 'auto',
        },
        svg('path', { d: 'M0 0 L10 5 L0 10 z', class: 'arrow-head' }),
      ),
    ),
  );
  const mostCalls = Math.max(1, ...edges.map((e) => e.calls));
  for (const edge of edges) {
    const from = position.get(edge.parent)!;
    const to = position.get(edge.child)!;
    const x1 = from.x + nodeWidth;
    const y1 = from.y + nodeHeight / 2;
    const x2 = to.x;
    const y2 = to.y + nodeHeight / 2;
    // A call back to an earlier column curves below the nodes.
    const backwards = x2 <= x1;
    const bend = backwards ? Math.max(y1, y2) + rowHeight * 0.8 : 0;
    const d = backwards
      ? `M${from.x + nodeWidth / 2} ${from.y + nodeHeight} C${from.x + nodeWidth / 2} ${bend} ${to.x + nodeWidth / 2} ${bend} ${to.x + nodeWidth / 2} ${to.y + nodeHeight}`
      : `M${x1} ${y1} C${(x1 + x2) / 2} ${y1} ${(x1 + x2) / 2} ${y2} ${x2 - 2} ${y2}`;
    const strokeWidth = 1 + 2.5 * (Math.log10(edge.calls + 1) / Math.log10(mostCalls + 1));
    // Labels sit near the called service, where arrows from one caller have spread apart.
    const t = 0.72;
    const curveY =
      (1 - t) ** 3 * y1 + 3 * (1 - t) ** 2 * t * y1 + 3 * (1 - t) * t ** 2 * y2 + t ** 3 * y2;
    const label = svg(
      'text',
      {
        x: backwards ? (from.x + to.x + nodeWidth) / 2 : (x1 + x2) / 2,
        y: backwards ? bend - 4 : curveY - 7,
        'text-anchor': 'middle',
        class: 'edge-label',
      },
      svg('tspan', { text: `${formatNumber(edge.calls)} ${edge.calls === 1 ? 'call' : 'calls'}` }),
      edge.errors > 0
        ? svg('tspan', {
            class: 'edge-errors',
            text: ` · ${formatNumber(edge.errors)} ${edge.errors === 1 ? 'error' : 'errors'}`,
          })
        : null,
    );
    map.append(
      svg(
        'g',
        {
          class: edge.errors > 0 ? 'map-edge has-errors' : 'map-edge',
          'data-edge': `${edge.parent}->${edge.child}`,
        },
        svg('path', {
          d,
          fill: 'none',
          'stroke-width': strokeWidth.toFixed(2),
          'marker-end': 'url(#arrow)',
        }),
        label,
        svg('title', {
          text: `${edge.parent} → ${edge.child}: ${plural(edge.calls, 'call')}, ${plural(edge.errors, 'error')}`,
        }),
      ),
    );
  }
  const databases = new Set(edges.filter((e) => e.kind === 'database').map((e) => e.child));
  for (const name of names) {
    const { x, y } = position.get(name)!;
    const incoming = edges.filter((e) => e.child === name);
    const failing = incoming.some((e) => e.errors > 0);
    const database = databases.has(name);
    const calls = incoming.reduce((sum, e) => sum + e.calls, 0);
    const errors = incoming.reduce((sum, e) => sum + e.errors, 0);
    const shown = name.length > 22 ? `${name.slice(0, 21)}…` : name;
    const node = svg(
      'g',
      {
        class: `map-node${database ? ' database' : ''}${name === selected ? ' selected' : ''}${failing ? ' has-errors' : ''}`,
        'data-service': name,
        tabindex: 0,
        role: 'button',
      },
      svg('rect', { x, y, width: nodeWidth, height: nodeHeight, rx: database ? 14 : 7 }),
      svg('text', {
        x: x + nodeWidth / 2,
        y: y + nodeHeight / 2 + 5,
        'text-anchor': 'middle',
        text: shown,
      }),
      svg('title', {
        text: database
          ? `${name}: ${plural(calls, 'call')}, ${plural(errors, 'error')}; show the traces that query it`
          : `${name}: show its requests, errors and latency`,
      }),
    );
    // A database or cache sends no telemetry of its own: its node leads to the traces calling it.
    const open = () => (database ? go(databaseTraces(name)) : onSelect(name));
    node.addEventListener('click', open);
    node.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Enter') open();
    });
    map.append(node);
  }
  return el('div', { className: 'map-panel' }, map);
}

// Columns: a service's distance from the services that start calls (those nobody calls, or in
// a cycle the busiest caller); calls back to an earlier column are drawn curving below.
function levels(names: string[], edges: DependencyEdge[]): Map<string, number> {
  const depth = new Map<string, number>();
  const called = new Set(edges.map((e) => e.child));
  const outgoing = (name: string) =>
    edges.filter((e) => e.parent === name).reduce((sum, e) => sum + e.calls, 0);
  const queue = names.filter((n) => !called.has(n));
  for (const name of queue) depth.set(name, 0);
  for (;;) {
    while (queue.length > 0) {
      const name = queue.shift()!;
      for (const edge of edges) {
        if (edge.parent !== name || depth.has(edge.child)) continue;
        depth.set(edge.child, depth.get(name)! + 1);
        queue.push(edge.child);
      }
    }
    const left = names.filter((n) => !depth.has(n));
    if (left.length === 0) return depth;
    const start = left.reduce((a, b) => (outgoing(b) > outgoing(a) ? b : a));
    depth.set(start, 0);
    queue.push(start);
  }
}
