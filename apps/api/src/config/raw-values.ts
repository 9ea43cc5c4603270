// Conversions of raw settings (strings from flags and the environment, or typed values from tests) before validation.

/** An empty string is no value (an unset variable in a shell script). */
export function optionalString(value: unknown): unknown {
  return value === '' ? undefined : value;
}

export function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

export function toInt(value: unknown, fallback: number): unknown {
  if (value === undefined || value === '') {
    return fallback;
  }
  // A non-numeric string stays a string so validation reports it with the flag name.
  return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
}

/**
 * `--trust_proxy` as Express takes it: absent, '' or false → off; 'true' → every hop; a whole number → that many
 * hops; anything else stays a list of proxy addresses or subnets (`loopback`, `10.0.0.0/8`, `127.0.0.1,::1`).
 */
export function toTrustProxy(value: unknown): boolean | number | string | undefined {
  if (value === undefined || value === '' || value === false || value === 'false' || value === '0') {
    return undefined;
  }
  if (value === true || value === 'true') {
    return true;
  }
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) {
    return Number(value);
  }
  return typeof value === 'number' || typeof value === 'string' ? value : String(value);
}

export function toBool(value: unknown): boolean {
  if (typeof value === 'boolean') {
    return value;
  }
  return typeof value === 'string' && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

export function toList(value: unknown, fallback: readonly string[]): string[] {
  if (Array.isArray(value)) {
    return value.map(String);
  }
  if (typeof value === 'string' && value.trim() !== '') {
    return value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  return [...fallback];
}
