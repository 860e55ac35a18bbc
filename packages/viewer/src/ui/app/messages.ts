import { ApiError } from './api-client.ts';
import { el } from './dom.ts';

/** A failed request as a message in the page (the page's controls stay above it). */
export function errorMessage(error: unknown): HTMLElement {
  const text = error instanceof Error ? error.message : String(error);
  const prefix =
    error instanceof ApiError && error.status === 400 ? 'The viewer cannot answer this: ' : '';
  return el('p', { className: 'error-message', text: `${prefix}${text}` });
}

/** An empty result: `text`, and a hint when given. */
export function emptyMessage(text: string, hint?: string): HTMLElement {
  return el(
    'div',
    { className: 'empty' },
    el('p', { text }),
    hint ? el('p', { className: 'muted', text: hint }) : null,
  );
}
