import { InvalidInputError } from '@aiaa/core';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Checks a name from a URL before it becomes a file or folder name (a model, a datastore image or label tag): letters,
 * digits, `.`, `_`, `-`; starting with a letter or digit; no `..`; 1 to `maxLength` characters. Such a name can never
 * leave the folder it is joined to.
 * @throws InvalidInputError starting with `what` and the name, saying which rule is broken.
 */
export function validateSafeName(what: string, name: string, maxLength: number): string {
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  if (name.length === 0 || name.length > maxLength) {
    throw new InvalidInputError(`${what} ${shown}: length ${name.length}, expected 1..${maxLength} characters`);
  }
  if (/[/\\\0]/.test(name)) {
    throw new InvalidInputError(`${what} ${shown}: contains a path separator or NUL`);
  }
  if (name.includes('..')) {
    throw new InvalidInputError(`${what} ${shown}: contains '..'`);
  }
  if (!SAFE_NAME.test(name)) {
    throw new InvalidInputError(
      `${what} ${shown}: expected letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  return name;
}
