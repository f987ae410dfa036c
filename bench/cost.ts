/**
 * What pricing costs per call (run by bench/run.ts as BENCH_ONLY=cost; prints JSON). CPU µs per call of
 * what `LlmCall` adds when a call ends with cost on (issue 25; target ≤ 2 µs per call):
 * - `costOf` with the look-up cached per provider and model (every call after a model's first), over a mix of
 *   providers, models (dated snapshots included) and usages with cache parts;
 * - `costOf` for a model's first call in the process (cold: @pydantic/genai-prices matches the model against
 *   the provider's patterns), for a known model and for one the table does not know;
 * - the render of the cost keys (`llm.cost.*`, five of them) through the attribute sink (masking, budget);
 * - the one-time load of the price table (ms, first call of the process).
 */
import { resolveTraceConfig } from '../lib/masking/trace-config';
import { resolvePricing } from '../lib/cost/pricing';
import { createCallRecord, type CallRecord } from '../lib/record/call-record';
import type { Usage } from '../lib/record/usage';
import { AttributeSink } from '../lib/semconv/attribute-sink';
import { renderCost } from '../lib/semconv/render-cost';
import { median, round } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CALLS = Math.max(10_000, Math.round(100_000 * Number(process.env.BENCH_SCALE ?? 1)));
/** Distinct models per cold round (each round takes new ones, while the table has them). */
const COLD_MODELS = 40;

function record(provider: string, model: string, usage: Usage): CallRecord {
  const r = createCallRecord('LLM', 'chat', provider, provider);
  r.requestModel = model.replace(/-\d{4}-\d{2}-\d{2}$|-\d{8}$/, '');
  r.responseModel = model;
  r.usage = usage;
  return r;
}

/** Calls as an app makes them: a few providers and models, usage with and without cache parts. */
const MIX: CallRecord[] = [
  record('openai', 'gpt-4o-mini-2024-07-18', { prompt: 19, completion: 10, total: 29, cacheRead: 4 }),
  record('openai', 'gpt-4o-2024-08-06', { prompt: 2006, completion: 300, total: 2306, cacheRead: 1920 }),
  record('anthropic', 'claude-sonnet-4-20250514', { prompt: 3625, completion: 393, cacheRead: 2048, cacheWrite: 1556 }),
  record('google', 'gemini-2.5-flash', { prompt: 1200, completion: 153, cacheRead: 1024, reasoning: 150 }),
  record('xai', 'grok-3-mini', { prompt: 37, completion: 763, cacheRead: 6, reasoning: 233 }),
  record('openai', 'text-embedding-3-small', { prompt: 8 }),
  record('openai', 'acme-private-llm-7b', { prompt: 1000, completion: 100 }),
];

/** Model names the table lists exactly (`equals`), per provider of ours, in the table's order. */
function listedModels(): Array<[string, string]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const table = require('@pydantic/genai-prices') as { findProvider(o: { providerId: string }): { models: Array<{ match: unknown }> } | undefined };
  const names: Array<[string, string]> = [];
  const walk = (provider: string, match: unknown): void => {
    if (match === null || typeof match !== 'object') return;
    const m = match as Record<string, unknown>;
    if (typeof m.equals === 'string') names.push([provider, m.equals]);
    for (const value of Object.values(m)) if (Array.isArray(value)) value.forEach((v) => walk(provider, v));
  };
  for (const [ours, id] of [['openai', 'openai'], ['anthropic', 'anthropic'], ['google', 'google'], ['xai', 'x-ai'], ['mistralai', 'mistral'], ['groq', 'groq']]) {
    for (const model of table.findProvider({ providerId: id })?.models ?? []) walk(ours, model.match);
  }
  // Interleaved, so that each round looks up models from every provider and every place in its list.
  return names.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

function cpuUs(fn: () => void): number {
  const cpu = process.cpuUsage();
  fn();
  const used = process.cpuUsage(cpu);
  return used.user + used.system;
}

function main(): void {
  const pricing = resolvePricing({}, {})!;
  const config = resolveTraceConfig({}, {});
  let sink = 0;

  // The first priced call of the process loads the table.
  const loadMs = cpuUs(() => void (sink += pricing.costOf(MIX[0])?.total ?? 0)) / 1000;

  const warm = () => {
    for (let i = 0; i < CALLS; i++) sink += pricing.costOf(MIX[i % MIX.length])?.total ?? 0;
  };
  const priced = MIX[2];
  priced.cost = pricing.costOf(priced);
  const render = () => {
    for (let i = 0; i < CALLS; i++) {
      const out = new AttributeSink(config);
      renderCost(out, priced);
      sink += out.count;
    }
  };
  const renderNothing = () => {
    for (let i = 0; i < CALLS; i++) sink += new AttributeSink(config).count;
  };
  // Models the cache has not seen: names the table lists (each priced once in the process), or names it lacks.
  const listed = listedModels();
  let next = 0;
  const cold = (known: boolean) => () => {
    for (let i = 0; i < COLD_MODELS; i++, next++) {
      const [provider, model] = known ? listed[next] : ['openai', `acme-${next}`];
      sink += pricing.costOf(record(provider, model, { prompt: 19, completion: 10 }))?.total ?? 0;
    }
  };

  warm();
  render();
  renderNothing();
  const samples = { warm: [] as number[], render: [] as number[], renderNothing: [] as number[], coldKnown: [] as number[], coldUnknown: [] as number[] };
  // Interleaved rounds: load from other processes lands on every case alike.
  for (let r = 0; r < ROUNDS; r++) {
    samples.warm.push(cpuUs(warm) / CALLS);
    samples.render.push(cpuUs(render) / CALLS);
    samples.renderNothing.push(cpuUs(renderNothing) / CALLS);
    // Known names run out after a few rounds: each is cold once only.
    if (next + COLD_MODELS <= listed.length) samples.coldKnown.push(cpuUs(cold(true)) / COLD_MODELS);
    samples.coldUnknown.push(cpuUs(cold(false)) / COLD_MODELS);
  }
  const out = {
    costOfWarmUsPerCall: round(median(samples.warm), 3),
    renderCostKeysUsPerCall: round(median(samples.render) - median(samples.renderNothing), 3),
    costOfColdKnownUsPerModel: round(median(samples.coldKnown), 1),
    costOfColdUnknownUsPerModel: round(median(samples.coldUnknown), 1),
    tableLoadMs: round(loadMs, 1),
    models: MIX.length,
    callsPerRound: CALLS,
  };
  if (sink < 0) process.stderr.write('');
  console.log(JSON.stringify(out));
}

main();
