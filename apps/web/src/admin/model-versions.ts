/** One stored version of a model, as the page lists it. */
export interface ModelVersionRow {
  readonly version: number;
  readonly active: boolean;
  /** When it was uploaded (ISO 8601), when the server says. */
  readonly createdAt?: string;
}

/**
 * Reads a `GET /admin/model/{name}/versions` reply into rows, newest first. Accepted shapes: an array of
 * `{version, active?, createdAt?}`, or `{versions: [...], active?: N}`. Without `active` flags the row whose number
 * equals `activeVersion` (the `version` of `/v1/models`) is the active one. Entries without a whole-number `version`
 * are dropped; a reply of another shape gives no rows (the page then offers no switch).
 */
export function readVersions(reply: unknown, activeVersion: string): ModelVersionRow[] {
  const record = isRecord(reply) ? reply : undefined;
  const list: unknown[] = Array.isArray(reply) ? reply : Array.isArray(record?.['versions']) ? record['versions'] : [];
  const activeField = record?.['active'] ?? record?.['activeVersion'];
  const active = numberOf(activeField) ?? numberOf(activeVersion);
  const rows = list.filter(isRecord).flatMap((entry): ModelVersionRow[] => {
    const version = numberOf(entry['version']);
    if (version === undefined) {
      return [];
    }
    const flagged = typeof entry['active'] === 'boolean' ? entry['active'] : undefined;
    const createdAt = typeof entry['createdAt'] === 'string' ? entry['createdAt'] : undefined;
    return [{ version, active: flagged ?? version === active, ...(createdAt ? { createdAt } : {}) }];
  });
  return rows.sort((a, b) => b.version - a.version);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isInteger(n) ? n : undefined;
}
