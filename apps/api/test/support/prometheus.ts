// The scrape read by an independent parser: the Prometheus Python client's own (`prometheus_client.parser`, Debian's
// python3-prometheus-client under /usr/bin/python3), never by prom-client, which wrote it.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const PARSER = path.join(__dirname, '..', 'fixtures', 'parse_prometheus.py');
/** Debian's Python, where python3-prometheus-client installs (the python3 first on PATH may be another). */
const PYTHON = '/usr/bin/python3';

/** One sample of the scrape: its full name (`_total`, `_bucket`, `_count` included), labels and value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One metric family as the parser gives it (a counter's family name is without `_total`). */
export interface MetricFamily {
  readonly family: string;
  readonly type: string;
  readonly samples: readonly Sample[];
}

/** Why the scrape cannot be parsed here (no Python or no prometheus_client), or undefined when it can. */
export function prometheusParserMissing(): string | undefined {
  try {
    execFileSync(PYTHON, ['-c', 'import prometheus_client.parser'], { stdio: 'ignore', timeout: 10_000 });
    return undefined;
  } catch {
    return `${PYTHON} with prometheus_client is missing (apt-get install python3-prometheus-client)`;
  }
}

/** A parsed scrape, with lookups of one series' value. */
export class Scrape {
  readonly families: readonly MetricFamily[];
  readonly samples: readonly Sample[];

  constructor(readonly text: string) {
    const parsed = JSON.parse(execFileSync(PYTHON, [PARSER], { input: text, timeout: 30_000 }).toString('utf8')) as {
      family: string;
      type: string;
      samples: { name: string; labels: Record<string, string>; value: number | string }[];
    }[];
    this.families = parsed.map((f) => ({
      family: f.family,
      type: f.type,
      samples: f.samples.map((s) => ({ ...s, value: Number(s.value) })),
    }));
    this.samples = this.families.flatMap((f) => f.samples);
  }

  /** The sum of the samples named `name` whose labels include `labels`; 0 when there is none. */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.matching(name, labels).reduce((sum, s) => sum + s.value, 0);
  }

  /** How many observations a histogram's series matching `labels` hold (its `_count`). */
  count(histogram: string, labels: Record<string, string> = {}): number {
    return this.value(`${histogram}_count`, labels);
  }

  /** The cumulative bucket counts of one histogram series, by upper bound (`le`). */
  buckets(histogram: string, labels: Record<string, string>): Record<string, number> {
    return Object.fromEntries(this.matching(`${histogram}_bucket`, labels).map((s) => [s.labels['le'], s.value]));
  }

  /** The family a sample name belongs to. */
  familyOf(name: string): MetricFamily | undefined {
    return this.families.find((f) => f.samples.some((s) => s.name === name) || f.family === name);
  }

  matching(name: string, labels: Record<string, string>): Sample[] {
    return this.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  }
}

/** `GET <url>` and parse it. @throws when the reply is not 200. */
export async function scrape(url: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const res = await fetch(url, { headers });
  if (res.status !== 200) {
    throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  }
  return new Scrape(await res.text());
}
