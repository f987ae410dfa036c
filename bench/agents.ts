/**
 * The `agents` section of `npm run bench` (bench/run.ts runs it as a child; prints JSON): what tracing adds to one
 * OpenAI Agents SDK turn with one tool call (the model asks for get_weather, the tool runs, the model answers:
 * two Responses API requests), on the real `@openai/agents`, the OpenAI client answered in process by a `fetch`
 * returning prebuilt bytes (no sockets, as bench/langchain-workload.ts). The SDK's own trace processors are
 * emptied for every variant (`setTraceProcessors([])`: no export to OpenAI), so each pays the SDK's span
 * bookkeeping alike. Variants: none, ours (content captured or not), Arize's Agents bridge as its README installs
 * it (`manuallyInstrument(agents)`), and that bridge with Arize's OpenAI instrumentation as well (the model calls
 * traced twice: their #2101; its disable() leaves the client patched, so it has no paired figure). Measured as
 * bench/mcp.ts measures: fresh processes per variant, and in each, rounds of batches with the instrumentation
 * off and on back to back (crossover order); the figures are `+µs` (paired, the steady state) and `+µs vs none`
 * (against the uninstrumented processes), with the LLM spans per model request.
 *
 * Standalone: `node --import tsx bench/agents.ts` (parent) or `node --expose-gc --import tsx bench/agents.ts child ours`.
 */
import { execFileSync } from 'node:child_process';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import { loadOurInstrumentation, ROOT, setUpBenchTracing } from './bench-child';
import type { CountingExporter, Switchable } from './drop-exporter';
import * as fx from './fixtures';
import { GcMeter } from './gc-meter';
import { median, medianOfCrossovers, round, table } from './stats';

type Variant = 'none' | 'ours' | 'ours-nocontent' | 'arize' | 'arize+openai';
const VARIANTS: Variant[] = ['none', 'ours', 'ours-nocontent', 'arize', 'arize+openai'];
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ROUNDS = Math.max(4, Number(process.env.BENCH_ROUNDS ?? 9) * 2);
const GENERATIONS = Number(process.env.BENCH_AGENTS_PROCESSES ?? 3);
// A turn is about 3 ms of CPU here: batches of about 150 ms, and the warm-up past V8's optimization stages.
const TURNS = Math.max(20, Math.round(50 * SCALE));
const WARMUP = Math.max(200, Math.round(1000 * SCALE));

const encoder = new TextEncoder();
const response = (id: string, output: unknown[], input: number, outputTokens: number) => encoder.encode(JSON.stringify({
  id, object: 'response', created_at: 1765000000, status: 'completed', model: 'gpt-4.1-mini-2025-04-14', error: null, output,
  usage: { input_tokens: input, output_tokens: outputTokens, total_tokens: input + outputTokens, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
}));
const TOOL_CALL = response('resp_bench_1', [
  { type: 'function_call', id: 'fc_bench_1', call_id: 'call_weather_1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
], 57, 17);
const ANSWER = response('resp_bench_2', [
  { type: 'message', id: 'msg_bench_2', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'It is 21°C and sunny in Paris.', annotations: [] }] },
], 92, 11);
const served = { requests: 0 };
/** The Responses API: the tool call, then (once the request carries the tool's output) the answer. */
const agentFetch = (_url: unknown, init?: { body?: unknown }): Promise<Response> => {
  served.requests++;
  const answered = typeof init?.body === 'string' && init.body.includes('"function_call_output"');
  return Promise.resolve(fx.jsonResponse(answered ? ANSWER : TOOL_CALL));
};

/** The tracing pipeline and the variant's instrumentation, installed before the SDK is required, as an app has it. */
function setUp(variant: Variant): { exporter: CountingExporter; provider: TracerProvider; instrumentation?: Switchable } {
  const { exporter, provider } = setUpBenchTracing((span) => span.attributes['openinference.span.kind'] === 'LLM');
  if (variant === 'arize+openai') {
    // Through its require hook, before the SDK loads. Its disable() leaves the client patched: not paired.
    const { OpenAIInstrumentation } = require('@arizeai/openinference-instrumentation-openai');
    new OpenAIInstrumentation({ tracerProvider: provider });
  }
  if (variant !== 'ours' && variant !== 'ours-nocontent') return { exporter, provider };
  return { exporter, provider, instrumentation: loadOurInstrumentation(provider, { captureContent: variant === 'ours' }) };
}

/** Arize's bridge registers a trace processor with the SDK (no patch): installed once the SDK is loaded. */
function arize(provider: TracerProvider, agents: unknown): Switchable {
  const { OpenAIAgentsInstrumentation } = require('@arizeai/openinference-instrumentation-openai-agents');
  const bridge = new OpenAIAgentsInstrumentation({ tracerProvider: provider });
  bridge.manuallyInstrument(agents);
  return { enable: () => bridge.manuallyInstrument(agents), disable: () => bridge.uninstrument() };
}

/** One agent turn with one tool call, on the SDK's CommonJS build. */
function agentTurn(): { turn: () => Promise<unknown>; agents: unknown } {
  const agents = require('@openai/agents');
  const { OpenAI } = require('openai');
  const { z } = require('zod');
  agents.setDefaultOpenAIClient(new OpenAI({ apiKey: 'sk-bench', maxRetries: 0, fetch: agentFetch }));
  agents.setTraceProcessors([]);
  const getWeather = agents.tool({
    name: 'get_weather', description: 'The current weather in a city.', parameters: z.object({ city: z.string() }),
    execute: async ({ city }: { city: string }) => `It is 21°C and sunny in ${city}.`,
  });
  const agent = new agents.Agent({ name: 'weather_agent', instructions: 'Answer with the weather.', model: 'gpt-4.1-mini', tools: [getWeather] });
  return { turn: () => agents.run(agent, 'What is the weather in Paris?'), agents };
}

function collectYoungGeneration(): void {
  (globalThis as { gc?: (options: { type: 'minor'; execution: 'sync' }) => void }).gc?.({ type: 'minor', execution: 'sync' });
}

/** CPU µs per turn; the batch starts with an empty young generation and pays for its own garbage only. */
async function batch(turn: () => Promise<unknown>, turns: number, meter: GcMeter): Promise<{ cpuUs: number; allocatedBytes: number }> {
  let cpuUs = 0;
  collectYoungGeneration();
  const gc = await meter.measure(async () => {
    const cpu = process.cpuUsage();
    for (let i = 0; i < turns; i++) await turn();
    collectYoungGeneration();
    const used = process.cpuUsage(cpu);
    cpuUs = (used.user + used.system) / turns;
  });
  return { cpuUs, allocatedBytes: gc.allocatedBytes / turns };
}

/** One variant in this process: warm up, then rounds of batches (instrumented: off and on in crossover order). */
async function child(variant: Variant): Promise<Record<string, number>> {
  const { exporter, provider, instrumentation: ours } = setUp(variant);
  const { turn, agents } = agentTurn();
  const bridge = variant.startsWith('arize') ? arize(provider, agents) : undefined;
  // Paired (off and on in this process) where the whole instrumentation switches off.
  const instrumentation = variant === 'arize+openai' ? undefined : ours ?? bridge;
  const meter = new GcMeter();
  await batch(turn, WARMUP, meter);
  const on: Array<{ cpuUs: number; allocatedBytes: number }> = [];
  const pairs: number[] = [];
  const count = { spans: 0, llm: 0, requests: 0, llmOff: 0 };
  for (let r = 0; r < ROUNDS; r++) {
    const order = !instrumentation ? [true] : r % 2 === 0 ? [false, true] : [true, false];
    const got: Record<string, number> = {};
    for (const enabled of order) {
      if (instrumentation) enabled ? instrumentation.enable() : instrumentation.disable();
      const before = { spans: exporter.spans, llm: exporter.counted, requests: served.requests };
      const figures = await batch(turn, TURNS, meter);
      if (enabled) {
        on.push(figures);
        count.spans += exporter.spans - before.spans;
        count.llm += exporter.counted - before.llm;
        count.requests += served.requests - before.requests;
      } else count.llmOff += exporter.counted - before.llm;
      got[String(enabled)] = figures.cpuUs;
    }
    if (got.false !== undefined) pairs.push(got.true - got.false);
  }
  const out: Record<string, number> = {
    cpuUsPerTurn: round(median(on.map((f) => f.cpuUs)), 1),
    allocatedBytesPerTurn: Math.round(median(on.map((f) => f.allocatedBytes))),
    spansPerTurn: round(count.spans / (on.length * TURNS), 2),
    llmSpansPerTurn: round(count.llm / (on.length * TURNS), 2),
    llmSpansPerRequest: round(count.llm / Math.max(1, count.requests), 2),
  };
  if (pairs.length > 0) {
    out.pairedOverheadUs = round(medianOfCrossovers(pairs), 1);
    out.llmSpansOff = count.llmOff;
  }
  return out;
}

function runChild(variant: Variant): Record<string, number> | { skipped: string } {
  try {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, 'child', variant], {
      cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env },
    });
    return JSON.parse(out);
  } catch (err) {
    return { skipped: `failed: ${(err as Error).message.split('\n')[0]}` };
  }
}

/** Fresh processes per variant, interleaved generation by generation; medians across them. */
function parent(): Record<string, unknown> {
  const runs = new Map<Variant, Array<Record<string, number>>>(VARIANTS.map((v) => [v, []]));
  const skipped: Partial<Record<Variant, string>> = {};
  for (let g = 0; g < GENERATIONS; g++) {
    for (const variant of VARIANTS) {
      if (skipped[variant]) continue;
      const result = runChild(variant);
      if ('skipped' in result) skipped[variant] = String(result.skipped);
      else runs.get(variant)!.push(result);
    }
  }
  const figures: Record<string, Record<string, number | string>> = {};
  for (const variant of VARIANTS) {
    if (skipped[variant]) figures[variant] = { skipped: skipped[variant]! };
    if (skipped[variant]) continue;
    const of = (key: string) => round(median(runs.get(variant)!.map((r) => r[key]).filter((v) => v !== undefined)), 2);
    const f: Record<string, number> = {
      cpuUsPerTurn: of('cpuUsPerTurn'), allocatedBytesPerTurn: of('allocatedBytesPerTurn'),
      spansPerTurn: of('spansPerTurn'), llmSpansPerTurn: of('llmSpansPerTurn'), llmSpansPerRequest: of('llmSpansPerRequest'),
    };
    if (variant !== 'none') {
      if (variant !== 'arize+openai') f.pairedOverheadUs = of('pairedOverheadUs');
      f.overheadVsNoneUs = round(f.cpuUsPerTurn - Number(figures.none.cpuUsPerTurn), 1);
      if (variant !== 'arize+openai') f.llmSpansOff = of('llmSpansOff');
    }
    figures[variant] = f;
  }
  const arizeFigures = figures.arize;
  for (const variant of ['ours', 'ours-nocontent'] as const) {
    const f = figures[variant];
    if (!arizeFigures || 'skipped' in arizeFigures || 'skipped' in f) continue;
    f.ratioToArize = round(Number(f.pairedOverheadUs) / Number(arizeFigures.pairedOverheadUs), 2);
    f.ratioVsNoneToArize = round(Number(f.overheadVsNoneUs) / Number(arizeFigures.overheadVsNoneUs), 2);
  }
  return { turnsPerBatch: TURNS, warmupTurns: WARMUP, rounds: ROUNDS, processesPerVariant: GENERATIONS, variants: figures };
}

/** The lines of this section in bench/run.ts's report. */
export function reportAgents(results: Record<string, unknown>): string[] {
  const out = [
    `== agents: CPU µs per OpenAI Agents turn (1 tool call, 2 model requests; median of ${String(results.rounds)} rounds in each of ${String(results.processesPerVariant)} processes per variant)`,
    '+µs = on minus off in the variant\'s own process (crossovers); +µs vs none = over the uninstrumented processes; ratio = +µs ÷ Arize\'s bridge\'s;',
    'spans and LLM spans per turn; LLM/req = LLM spans per model request; allocated bytes per turn',
  ];
  if ('skipped' in results) return [...out, `skipped: ${String(results.skipped)}`];
  const rows: Array<Array<string | number>> = [];
  for (const [variant, f] of Object.entries(results.variants as Record<string, Record<string, number | string>>)) {
    if ('skipped' in f) rows.push([variant, `skipped: ${String(f.skipped).slice(0, 60)}`]);
    else rows.push([
      variant, f.cpuUsPerTurn, f.pairedOverheadUs ?? '-', f.overheadVsNoneUs ?? '-', f.ratioToArize ?? '-', f.ratioVsNoneToArize ?? '-',
      f.spansPerTurn, f.llmSpansPerTurn, f.llmSpansPerRequest, f.allocatedBytesPerTurn,
    ]);
  }
  out.push(table(['variant', 'µs', '+µs', '+µs vs none', 'ratio', 'ratio vs none', 'spans', 'LLM', 'LLM/req', 'allocated B'], rows));
  return out;
}

async function main(): Promise<void> {
  if (process.argv[2] !== 'child') return console.log(JSON.stringify(parent()));
  console.log(JSON.stringify(await child(process.argv[3] as Variant)));
  process.exit(0);
}

// bench/run.ts imports reportAgents only; run as a script, this measures.
if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
