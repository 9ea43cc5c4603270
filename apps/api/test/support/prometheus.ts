// The scrape read by an independent parser (parse-prometheus-text-format, a port of the Prometheus Python client's
// parser), never by prom-client, which wrote it.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** One metric family as the parser gives it. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  readonly metrics: readonly {
    readonly labels?: Record<string, string>;
    readonly value?: string;
    readonly buckets?: Record<string, string>;
    readonly count?: string;
    readonly sum?: string;
  }[];
}

/** A parsed scrape, with lookups of one series' value. */
export class Scrape {
  readonly families: ReadonlyMap<string, MetricFamily>;

  constructor(readonly text: string) {
    this.families = new Map((parsePrometheusTextFormat(text) as MetricFamily[]).map((f) => [f.name, f]));
  }

  /** The value of the series of `name` whose labels include `labels`; 0 when there is none (a counter never hit). */
  value(name: string, labels: Record<string, string> = {}): number {
    const series = this.#series(name, labels);
    return series.reduce((sum, m) => sum + Number(m.value ?? 0), 0);
  }

  /** `_count` of a histogram's series matching `labels` (summed over the matching series). */
  count(name: string, labels: Record<string, string> = {}): number {
    return this.#series(name, labels).reduce((sum, m) => sum + Number(m.count ?? 0), 0);
  }

  /** The cumulative bucket counts of one histogram series, by upper bound (`le`). */
  buckets(name: string, labels: Record<string, string>): Record<string, number> {
    const [series] = this.#series(name, labels);
    return Object.fromEntries(Object.entries(series?.buckets ?? {}).map(([le, n]) => [le, Number(n)]));
  }

  #series(name: string, labels: Record<string, string>): MetricFamily['metrics'][number][] {
    const family = this.families.get(name);
    return (family?.metrics ?? []).filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  }
}

/** `GET <url>` and parse it. @throws when the reply is not 200. */
export async function scrape(url: string): Promise<Scrape> {
  const res = await fetch(url);
  if (res.status !== 200) {
    throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  }
  return new Scrape(await res.text());
}
