// Tiny DOM helpers: the page is plain TypeScript, no framework.

type Child = Node | string | null | undefined | false;

/** Creates an element with attributes (`class`, `data-*`, aria…) and children. Text is never parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** The element with this id; throws when the page's HTML and script disagree. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

/** Shows a message in a status element, styled as success or error. */
export function showResult(element: HTMLElement, kind: 'ok' | 'error' | 'info', ...content: Child[]): void {
  element.className = `result result-${kind}`;
  element.replaceChildren(...content.filter((c): c is Node | string => Boolean(c)));
}

/** A value as short readable text: strings quoted, objects as compact JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}
