import { InvalidInputError } from '@aiaa/core';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Device names Windows reserves in every folder, whatever the extension (`con`, `nul.txt`, `COM1.onnx`): a file or
 * folder so named cannot be created or copied there, so the workspace could not move to such a file system.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * Checks a name from a URL before it becomes a file or folder name (a model, a datastore image or label tag): letters,
 * digits, `.`, `_`, `-`; starting with a letter or digit and not ending with a dot; no `..`; not a device name
 * Windows reserves; 1 to `maxLength` characters. Such a name can never leave the folder it is joined to, and the
 * workspace can move between file systems.
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
  if (name.endsWith('.')) {
    throw new InvalidInputError(`${what} ${shown}: ends with a dot, which Windows drops from file names`);
  }
  if (WINDOWS_RESERVED.test(name)) {
    throw new InvalidInputError(
      `${what} ${shown}: '${name.split('.')[0] ?? name}' is a device name Windows reserves (CON, PRN, AUX, NUL, COM1-9, LPT1-9), with any extension`,
    );
  }
  return name;
}
