/**
 * The only way the page builds markup: elements from a tag name, text through `textContent`.
 * Telemetry strings are always text nodes, never parsed as HTML.
 */

/** Element properties the helper sets; `text` becomes `textContent`. */
export interface ElementProps {
  className?: string;
  text?: string;
  title?: string;
  href?: string;
  id?: string;
  testId?: string;
  onClick?: (event: MouseEvent) => void;
}

/** A child: an element, or a string that becomes a text node. */
export type Child = Node | string | null | undefined | false;

/** Creates an element with `props` and `children`. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.id) element.id = props.id;
  if (props.title) element.title = props.title;
  if (props.testId) element.dataset.testid = props.testId;
  if (props.href !== undefined) element.setAttribute('href', props.href);
  if (props.text !== undefined) element.textContent = props.text;
  const onClick = props.onClick;
  if (onClick) element.addEventListener('click', (event) => onClick(event as MouseEvent));
  append(element, ...children);
  return element;
}

/** Appends children, turning strings into text nodes. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

const svgNamespace = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes; `text` becomes its `textContent`. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
  ...children: (Node | null | undefined | false)[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') element.textContent = String(value);
    else element.setAttribute(name, String(value));
  }
  for (const child of children) if (child) element.appendChild(child);
  return element;
}
