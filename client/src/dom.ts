// The one way views create DOM. Children that are strings become text nodes; attributes go
// through setAttribute and refuse event handlers, inline styles and script URLs, so untrusted
// text (names, tags, configuration) can only ever end up as text.

type Child = Node | string | number | false | null | undefined;
export type Attrs = Record<string, string | number | boolean | undefined>;

const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href']);

export function safeUrl(value: string): boolean {
  return /^(https:\/\/|\/|#|\?|blob:|data:image\/png;base64,)/.test(value) && !/^\/\//.test(value);
}

export function setAttr(el: Element, name: string, value: string | number | boolean | undefined): void {
  const lower = name.toLowerCase();
  if (lower.startsWith('on') || lower === 'style' || lower === 'srcdoc') throw new Error(`refusing attribute ${name}`);
  if (value === undefined || value === false) {
    el.removeAttribute(name);
    return;
  }
  const text = value === true ? '' : String(value);
  if (URL_ATTRS.has(lower) && !safeUrl(text)) throw new Error(`refusing URL in ${name}`);
  el.setAttribute(name, text);
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) setAttr(el, name, value);
  append(el, ...children);
  return el;
}

/** A button that does `onClick` when pressed (type=button: it never submits a form). */
export function button(label: Child, onClick: () => void, attrs: Attrs = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

export function append(el: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    );
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function replaceChildren(el: Element, ...children: Child[]): void {
  clear(el);
  append(el, ...children);
}
