import type { KeyValue, Span } from './api-client.ts';
import { causeChain } from './cause-chain.ts';
import { el } from './dom.ts';
import { formatDuration, formatTime, formatValue, kindName, nsToMs, statusName } from './format.ts';
import { traceHref } from './router.ts';

/** A table of attributes; every key and value is text. */
export function attributeTable(attributes: KeyValue[], className = 'attributes'): HTMLElement {
  if (attributes.length === 0) return el('p', { className: 'muted', text: 'none' });
  return el(
    'table',
    { className },
    el(
      'tbody',
      {},
      ...attributes.map((kv) =>
        el(
          'tr',
          {},
          el('th', { text: kv.key }),
          el('td', { className: 'value', text: formatValue(kv.value) }),
        ),
      ),
    ),
  );
}

/** A record's attributes folded under a summary that counts them; `null` without any. */
export function attributesDetails(attributes: KeyValue[]): HTMLElement | null {
  if (attributes.length === 0) return null;
  return el(
    'details',
    {},
    el('summary', { text: `${attributes.length} attributes` }),
    attributeTable(attributes),
  );
}

/** The detail panel of one span: fields, attributes, events with cause chains, links, resource. */
export function spanDetail(span: Span): HTMLElement {
  const durationMs = nsToMs(span.endTimeUnixNano) - nsToMs(span.startTimeUnixNano);
  const fields: [string, string][] = [
    ['span id', span.spanId],
    ['parent', span.parentSpanId || '(root)'],
    ['service', span.service],
    ['kind', kindName(span.kind)],
    [
      'status',
      span.status.message
        ? `${statusName(span.status.code)}: ${span.status.message}`
        : statusName(span.status.code),
    ],
    ['start', formatTime(span.startTimeUnixNano)],
    ['duration', formatDuration(durationMs)],
    ['scope', [span.scope.name, span.scope.version].filter(Boolean).join(' ')],
  ];
  return el(
    'section',
    { className: 'span-detail', id: 'span-detail' },
    el('h2', { text: span.name }),
    el(
      'table',
      { className: 'fields' },
      el(
        'tbody',
        {},
        ...fields.map(([k, v]) => el('tr', {}, el('th', { text: k }), el('td', { text: v }))),
      ),
    ),
    el('h3', { text: 'Attributes' }),
    attributeTable(span.attributes),
    el('h3', { text: `Events (${span.events.length})` }),
    ...span.events.map((event) => eventBlock(span, event)),
    el('h3', { text: `Links (${span.links.length})` }),
    span.links.length
      ? el(
          'ul',
          { className: 'links' },
          ...span.links.map((link) =>
            el(
              'li',
              {},
              el('a', {
                href: traceHref(link.traceId, link.spanId),
                className: 'span-link',
                text: `trace ${link.traceId} · span ${link.spanId}`,
              }),
              link.attributes.length ? attributeTable(link.attributes) : null,
            ),
          ),
        )
      : el('p', { className: 'muted', text: 'none' }),
    el('h3', { text: 'Resource' }),
    attributeTable(span.resource.attributes ?? []),
  );
}

function eventBlock(span: Span, event: Span['events'][number]): HTMLElement {
  const offset = nsToMs(event.timeUnixNano) - nsToMs(span.startTimeUnixNano);
  const isException = event.name === 'exception';
  const rest = isException
    ? event.attributes.filter((kv) => !kv.key.startsWith('exception.'))
    : event.attributes;
  return el(
    'div',
    { className: isException ? 'event exception-event' : 'event' },
    el(
      'div',
      { className: 'event-head' },
      el('strong', { text: event.name }),
      el('span', { className: 'muted', text: ` +${formatDuration(offset)}` }),
    ),
    isException ? causeChain(event) : null,
    rest.length ? attributeTable(rest) : null,
  );
}
