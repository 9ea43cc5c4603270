import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Timing } from './stats';

/** One line of the benchmark table. */
export interface Figure {
  section: string;
  name: string;
  /** The headline number (a median where timed). */
  value: number;
  unit: string;
  timing?: Timing;
  /** Human-readable goal, e.g. `≤ 1.2×`. */
  goal?: string;
  met?: boolean;
  note?: string;
}

/** Collects figures, prints them as a table and writes `bench/results.json`. */
export class Report {
  readonly figures: Figure[] = [];
  readonly notes: string[] = [];

  add(figure: Figure): void {
    this.figures.push(figure);
    const goal = figure.goal ? `  goal ${figure.goal} ${figure.met === undefined ? '' : figure.met ? '✔' : '✘'}` : '';
    const spread = figure.timing
      ? `  (min ${fmt(figure.timing.minMs)} / max ${fmt(figure.timing.maxMs)} ms, n=${figure.timing.runs})`
      : '';
    console.log(`  ${figure.name.padEnd(58)} ${fmt(figure.value).padStart(10)} ${figure.unit}${goal}${spread}`);
  }

  note(text: string): void {
    this.notes.push(text);
    console.log(`  note: ${text}`);
  }

  section(title: string): void {
    console.log(`\n## ${title}`);
  }

  write(file: string, meta: Record<string, unknown>): void {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...meta, figures: this.figures, notes: this.notes }, null, 2) + '\n');
    console.log(`\nwrote ${file}`);
  }
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) {
    return String(value);
  }
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3);
}
