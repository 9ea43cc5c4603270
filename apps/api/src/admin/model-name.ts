import { InvalidInputError } from '@aiaa/core';

/** Longest model name (the registry column and a folder name on every filesystem). */
export const MAX_MODEL_NAME_LENGTH = 64;

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Checks a model name from a URL before it becomes a folder under `<workspace>/models`: letters, digits, `.`, `_`,
 * `-`; starting with a letter or digit; no `..`; at most {@link MAX_MODEL_NAME_LENGTH} characters.
 * @throws InvalidInputError naming the field and the rule broken.
 */
export function validateModelName(name: string): string {
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  if (name.length === 0 || name.length > MAX_MODEL_NAME_LENGTH) {
    throw new InvalidInputError(
      `model name ${shown}: length ${name.length}, expected 1..${MAX_MODEL_NAME_LENGTH} characters`,
    );
  }
  if (/[/\\\0]/.test(name)) {
    throw new InvalidInputError(`model name ${shown}: contains a path separator or NUL`);
  }
  if (name.includes('..')) {
    throw new InvalidInputError(`model name ${shown}: contains '..'`);
  }
  if (!MODEL_NAME.test(name)) {
    throw new InvalidInputError(
      `model name ${shown}: expected letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  return name;
}
