/** One stage of a `Server-Timing` header: `pre_transforms;dur=163.4` → {name, durationMs}. */
export interface ServerTiming {
  readonly name: string;
  readonly durationMs?: number;
  readonly description?: string;
}

/**
 * Parses a `Server-Timing` header (RFC-less but W3C-specified: comma-separated metrics, each `name;dur=N;desc="…"`).
 * Unknown parameters are ignored; a metric without `dur` keeps only its name and description (`cache;desc=hit`).
 */
export function parseServerTiming(header: string | null): ServerTiming[] {
  if (header === null || header.trim() === '') {
    return [];
  }
  return header
    .split(',')
    .map((metric) => metric.trim())
    .filter((metric) => metric !== '')
    .map((metric) => {
      const [name = '', ...params] = metric.split(';').map((p) => p.trim());
      let durationMs: number | undefined;
      let description: string | undefined;
      for (const param of params) {
        const eq = param.indexOf('=');
        const key = (eq < 0 ? param : param.slice(0, eq)).trim().toLowerCase();
        const value =
          eq < 0
            ? ''
            : param
                .slice(eq + 1)
                .trim()
                .replace(/^"(.*)"$/, '$1');
        if (key === 'dur' && Number.isFinite(Number(value)) && value !== '') {
          durationMs = Number(value);
        } else if (key === 'desc') {
          description = value;
        }
      }
      return { name, ...(durationMs === undefined ? {} : { durationMs }), ...(description ? { description } : {}) };
    });
}
