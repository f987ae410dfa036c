/** Small statistics for the benchmark report. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The overhead of `variant` over `baseline`, as the median of the per-round differences: both were measured
 * back to back in the same round, so a slow round (another process on the machine) cancels out.
 */
export function medianOverhead(variant: readonly number[], baseline: readonly number[]): number {
  const n = Math.min(variant.length, baseline.length);
  const diffs: number[] = [];
  for (let i = 0; i < n; i++) diffs.push(variant[i] - baseline[i]);
  return median(diffs);
}

/**
 * The paired overhead: rounds alternate which half of a pair runs first (instrumentation off then on, then on
 * then off), and whichever runs second pays for the switch and for what the first left behind (re-optimized
 * call sites, GC state). So each two consecutive rounds are averaged, which cancels that order effect (an
 * AB/BA crossover), and the median of those averages is taken.
 */
export function medianOfCrossovers(pairedRounds: readonly number[]): number {
  const averages: number[] = [];
  for (let i = 0; i + 1 < pairedRounds.length; i += 2) averages.push((pairedRounds[i] + pairedRounds[i + 1]) / 2);
  return median(averages.length > 0 ? averages : pairedRounds);
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Rotates `items` by `by`, so that no variant always runs first (or last) in a round. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  const k = ((by % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
