import { el } from './dom.ts';

/**
 * The controls of a page. Not a `<form>`: the page's CSP has `form-action 'none'`, so a form
 * submitted by Enter or a submit button would be refused (and reported) by the browser.
 */
export function filterBar(...children: (HTMLElement | null)[]): HTMLElement {
  const bar = el('div', { className: 'filters' });
  bar.setAttribute('role', 'search');
  for (const child of children) if (child) bar.append(child);
  return bar;
}

/** A button that never submits anything. */
export function button(
  text: string,
  onClick: () => void,
  props: { id?: string; title?: string; className?: string } = {},
): HTMLButtonElement {
  const element = el('button', { text, onClick, ...props });
  element.type = 'button';
  return element;
}

/** A `<select>` of `[value, label]` options. */
export function select(
  id: string,
  title: string,
  options: [value: string, label: string][],
  selected: string | null | undefined,
  onChange: (value: string) => void,
): HTMLSelectElement {
  const element = el('select', { id, title });
  element.setAttribute('aria-label', title);
  for (const [value, label] of options) {
    element.append(new Option(label, value, false, value === (selected ?? '')));
  }
  element.addEventListener('change', () => onChange(element.value));
  return element;
}

/** The service `<select>`: one of `services`, or all of them (the empty value). */
export function serviceSelect(
  id: string,
  services: readonly string[],
  selected: string | null | undefined,
  onChange: (value: string) => void,
): HTMLSelectElement {
  const options = services.map((service): [string, string] => [service, service]);
  return select(id, 'Service', [['', 'All services'], ...options], selected, onChange);
}

/** A copy of `query` with `name` set to `value`, or without it when `value` is empty. */
export function withParam(query: URLSearchParams, name: string, value: string): URLSearchParams {
  const next = new URLSearchParams(query);
  if (value) next.set(name, value);
  else next.delete(name);
  return next;
}

/** A text input that commits on Enter or when it loses focus after a change. */
export function textInput(
  id: string,
  placeholder: string,
  value: string | null | undefined,
  onCommit: (value: string) => void,
  type = 'text',
): HTMLInputElement {
  const input = el('input', { id, title: placeholder });
  input.type = type;
  input.placeholder = placeholder;
  input.setAttribute('aria-label', placeholder);
  input.value = value ?? '';
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    onCommit(input.value.trim());
  });
  // A page swapped out while its input had focus can still fire `change` as the focus leaves:
  // that input's value belongs to a page no longer shown, and must not navigate back to it.
  input.addEventListener('change', () => {
    if (input.isConnected) onCommit(input.value.trim());
  });
  return input;
}

/** A labelled checkbox. */
export function checkbox(
  id: string,
  text: string,
  checked: boolean,
  onChange: (checked: boolean) => void,
): HTMLLabelElement {
  const input = el('input', { id });
  input.type = 'checkbox';
  input.checked = checked;
  input.addEventListener('change', () => onChange(input.checked));
  return el('label', { className: 'check' }, input, text);
}
