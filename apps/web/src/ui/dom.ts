import { ApiError } from '../api/http';

/** The element with `id`, of the expected class; throws when index.html and the code disagree. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) {
    throw new Error(`index.html has no <${type.name}> #${id}`);
  }
  return element;
}

/** A new element with text (or children) and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  content: string | readonly (Node | string)[] = '',
  attributes: Readonly<Record<string, string>> = {},
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (typeof content === 'string') {
    element.textContent = content;
  } else {
    element.append(...content);
  }
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  return element;
}

/** What a failure says on the page: the server's own message with its status, or the error's message. */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiError) {
    return error.describe();
  }
  return error instanceof Error ? error.message : String(error);
}

/** Shows `error` in `box` (or hides the box when undefined). */
export function showError(box: HTMLElement, error: unknown): void {
  box.hidden = error === undefined;
  box.textContent = error === undefined ? '' : describeFailure(error);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
