/**
 * The names of `known` closest to `word`, closest first (at most `count`): by edit distance between lower-cased last
 * dotted segments (`monai.transforms.ScaleIntensityd` is compared as `scaleintensityd`), then between whole names.
 * For "did you mean" in messages about misspelt keys and transform names.
 */
export function closestNames(word: string, known: Iterable<string>, count = 3): string[] {
  const last = (name: string): string => (name.split('.').pop() ?? name).toLowerCase();
  const target = last(word);
  return [...new Set(known)]
    .map((name) => ({
      name,
      segment: editDistance(target, last(name)),
      whole: editDistance(word.toLowerCase(), name.toLowerCase()),
    }))
    .sort((a, b) => a.segment - b.segment || a.whole - b.whole || a.name.localeCompare(b.name))
    .slice(0, count)
    .map((entry) => entry.name);
}

/**
 * The one known name `word` is most likely a misspelling of, or undefined when none is close (more than a third of
 * the word's letters, and at least 2, would have to change).
 */
export function didYouMean(word: string, known: Iterable<string>): string | undefined {
  const [best] = closestNames(word, known, 1);
  if (best === undefined) {
    return undefined;
  }
  const distance = editDistance(word.toLowerCase(), best.toLowerCase());
  return distance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Levenshtein distance, with a swap of two neighbouring letters counted as one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) {
    d[i * cols] = i;
  }
  for (let j = 0; j < cols; j++) {
    d[j] = j;
  }
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (d[(i - 1) * cols + j] as number) + 1,
        (d[i * cols + j - 1] as number) + 1,
        (d[(i - 1) * cols + j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (d[(i - 2) * cols + j - 2] as number) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1] as number;
}
