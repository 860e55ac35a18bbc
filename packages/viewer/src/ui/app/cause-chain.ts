import type { SpanEvent } from './api-client.ts';
import { el } from './dom.ts';
import { attribute, formatValue, stringList } from './format.ts';

/**
 * The cause chain of an `exception` event as a list, outer error first. otelkit records it in
 * `exception.chain.types` and `exception.chain.messages`; other SDKs give only the outer
 * `exception.type` and `exception.message`.
 */
export function causeChain(event: SpanEvent): HTMLElement {
  let types = stringList(attribute(event.attributes, 'exception.chain.types'));
  let messages = stringList(attribute(event.attributes, 'exception.chain.messages'));
  if (types.length === 0 && messages.length === 0) {
    types = [formatValue(attribute(event.attributes, 'exception.type'))];
    messages = [formatValue(attribute(event.attributes, 'exception.message'))];
  }
  const items = Array.from({ length: Math.max(types.length, messages.length) }, (_, i) =>
    el(
      'li',
      {},
      i > 0 ? el('span', { className: 'caused-by', text: 'caused by ' }) : null,
      el('span', { className: 'exception-type', text: types[i] || 'Error' }),
      messages[i] ? ': ' : '',
      el('span', { className: 'exception-message', text: messages[i] ?? '' }),
    ),
  );
  const list = el('ol', { className: 'cause-chain', testId: 'cause-chain' }, ...items);
  const stack = formatValue(attribute(event.attributes, 'exception.stacktrace'));
  return el(
    'div',
    { className: 'exception' },
    list,
    stack
      ? el('details', {}, el('summary', { text: 'Stack trace' }), el('pre', { text: stack }))
      : null,
  );
}
