import { validateSafeName } from '../common/safe-name';

/** Longest model name (the registry column and a folder name on every filesystem). */
export const MAX_MODEL_NAME_LENGTH = 64;

/**
 * Checks a model name from a URL before it becomes a folder under `<workspace>/models`: letters, digits, `.`, `_`,
 * `-`; starting with a letter or digit and not ending with a dot; no `..`; not a name Windows reserves; at most
 * {@link MAX_MODEL_NAME_LENGTH} characters.
 * @throws InvalidInputError naming the field and the rule broken.
 */
export function validateModelName(name: string): string {
  return validateSafeName('model name', name, MAX_MODEL_NAME_LENGTH);
}

/**
 * The key two model names share when they differ only by case (`Spleen`, `spleen`): such names would be one folder
 * on a case-insensitive file system (macOS, Windows), so the registry keeps one model per key.
 */
export function modelNameKey(name: string): string {
  return name.toLowerCase();
}
