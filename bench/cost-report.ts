import { table } from './stats';

/** The lines of bench/cost.ts's section (BENCH_ONLY=cost). */
export function costReport(f: Record<string, number | string>): string[] {
  if ('skipped' in f) return ['== cost (pricing per call)', `skipped: ${f.skipped}`];
  return [
    '== cost: CPU µs per call of pricing a call when it ends (median of rounds; target <= 2 µs per call, look-up cached per model)',
    table(
      ['what', 'µs'],
      [
        [`costOf, cached look-up (${f.models} models, mixed usage)`, f.costOfWarmUsPerCall],
        ['render of the llm.cost.* keys (5 keys, masking and budget)', f.renderCostKeysUsPerCall],
        ["costOf, a model's first call in the process (a model the table lists)", f.costOfColdKnownUsPerModel],
        ["costOf, a model's first call in the process (a model the table lacks)", f.costOfColdUnknownUsPerModel],
      ],
    ),
    `loading the price table (first priced call of the process): ${f.tableLoadMs} ms`,
  ];
}
