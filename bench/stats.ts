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
