import type { KeyValue, Span } from './api-client.ts';
import { causeChain } from './cause-chain.ts';
import { el } from './dom.ts';
import {
  attribute,
  formatDuration,
  formatTime,
  formatValue,
  kindName,
  nsToMs,
  plural,
  statusName,
} from './format.ts';
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
    el('summary', { text: plural(attributes.length, 'attribute') }),
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
  const sampling = formatValue(attribute(span.attributes, 'otelkit.sampling.reason'));
  if (sampling) fields.push(['kept by sampling', sampling]);
  return el(
    'section',
    { className: 'span-detail', id: 'span-detail' },
    el('h2', { text: span.name }),
    queryText(span),
    failureWithoutEvent(span),
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
    el('h3', { text: `Events (${span.events.length.toLocaleString('en-US')})` }),
    ...span.events.map((event) => eventBlock(span, event)),
    el('h3', { text: `Links (${span.links.length.toLocaleString('en-US')})` }),
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

// The statement of a database span, where it is easy to read: `db.query.text` of the semantic
// conventions, or the older `db.statement`.
function queryText(span: Span): HTMLElement | null {
  const text = formatValue(
    attribute(span.attributes, 'db.query.text') ?? attribute(span.attributes, 'db.statement'),
  );
  if (!text) return null;
  const system = formatValue(
    attribute(span.attributes, 'db.system.name') ?? attribute(span.attributes, 'db.system'),
  );
  return el(
    'div',
    { className: 'query-text', id: 'query-text' },
    el('h3', { text: system ? `Query (${system})` : 'Query' }),
    el('pre', { text }),
  );
}

// A failed span that recorded no exception event may say what failed in its own attributes:
// `error.type` (the semantic conventions), dd-trace's `error.message` and `error.stack`.
function failureWithoutEvent(span: Span): HTMLElement | null {
  if (span.status.code !== 2 || span.events.some((e) => e.name === 'exception')) return null;
  const type = formatValue(attribute(span.attributes, 'error.type'));
  const message =
    formatValue(attribute(span.attributes, 'error.message')) ||
    formatValue(attribute(span.attributes, 'error.msg')) ||
    span.status.message;
  const stack = formatValue(attribute(span.attributes, 'error.stack'));
  if (!type && !message && !stack) return null;
  return el(
    'div',
    { className: 'event exception-event', id: 'span-failure' },
    el(
      'div',
      {},
      el('span', { className: 'exception-type', text: type || 'Error' }),
      message ? ': ' : '',
      el('span', { className: 'exception-message', text: message }),
    ),
    stack
      ? el('details', {}, el('summary', { text: 'Stack trace' }), el('pre', { text: stack }))
      : null,
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
