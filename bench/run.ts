/**
 * `npm run bench`: the headline fresh-process per-call figure (bench/fresh.ts), then the paired per-call
 * overhead on the real SDKs against the peers (a diagnostic), the span processor's cost per span,
 * and memory. Prints a table and writes bench/results.json. See docs/performance.md.
 *
 * Environment: BENCH_ROUNDS (default 90), BENCH_PROCESSES (fresh processes per variant, the rounds spread
 * over them; default 5), BENCH_SCALE (multiplies the calls per batch and the warm-up; default 1),
 * BENCH_ONLY (comma list of sections: fresh-lines,fresh,startup,openai,anthropic,google,mistral,groq,ollama,anthropic-vertex,anthropic-bedrock,
 * together,huggingface,vertexai,replicate,processor,memory,attributes,genai,langchain,cost,mcp,agents,vector-stores,llamaindex,viewer), BENCH_OUT (where
 * to write the JSON instead of bench/results.json).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MORE_SDK_SECTIONS } from './more-sdks';
import { ANTHROPIC_CLOUDS_SECTIONS } from './anthropic-clouds';
import { HUGGINGFACE_SECTIONS } from './huggingface';
import { VERTEX_REPLICATE_SECTIONS } from './vertex-replicate';
import { benchSdk, SdkFigures } from './sdk-bench';
import { benchLangChain } from './langchain';
import { benchFresh } from './fresh';
import { benchFreshLines } from './fresh-lines';
import { report } from './report';
import { benchStartup } from './startup';
import { LANGCHAIN_VARIANTS } from './langchain-workload';
import { round } from './stats';
import type { ProviderKey, Scenario, VariantKey } from './variant';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 90);
const GENERATIONS = Number(process.env.BENCH_PROCESSES ?? 5);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const wanted = (section: string) => !ONLY || ONLY.includes(section);
const log = (line: string) => process.stderr.write(`${line}\n`);

const calls = (chat: number, stream: number): Record<Scenario, number> => ({
  chat: Math.max(50, Math.round(chat * SCALE)),
  stream: Math.max(50, Math.round(stream * SCALE)),
});

const SDK_SECTIONS: Array<{ provider: ProviderKey; variants: VariantKey[] }> = [
  { provider: 'openai', variants: ['none', 'ours', 'ours-nocontent', 'otel', 'otel-nologs', 'openinference'] },
  { provider: 'anthropic', variants: ['none', 'ours', 'ours-nocontent'] },
  { provider: 'google', variants: ['none', 'ours', 'ours-nocontent'] },
  ...MORE_SDK_SECTIONS,
  ...ANTHROPIC_CLOUDS_SECTIONS,
  ...HUGGINGFACE_SECTIONS,
  ...VERTEX_REPLICATE_SECTIONS,
];

/** Runs a bench script that prints one JSON object on stdout, in a fresh process with `global.gc`. */
function runJsonChild(script: string): unknown {
  try {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, script)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_SCALE: String(SCALE), BENCH_ROUNDS: String(Math.min(ROUNDS, 9)) },
    });
    return JSON.parse(out);
  } catch (err) {
    return { skipped: `failed: ${(err as Error).message.split('\n')[0]}` };
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const results: Record<string, unknown> = {
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadAverageAtStart: os.loadavg().map((v) => round(v, 2)),
    },
    settings: { rounds: ROUNDS, processesPerVariant: GENERATIONS, scale: SCALE },
    date: new Date().toISOString(),
  };
  if (wanted('fresh-lines')) {
    log('fresh-lines (headline: openai per call in a NodeSDK app of each OpenTelemetry line, from the packed package)');
    try {
      results.freshLines = await benchFreshLines(log);
    } catch (err) {
      results.freshLines = [{ skipped: `failed: ${(err as Error).message.split('\n')[0]}` }];
    }
  }
  if (wanted('fresh')) {
    log('fresh (openai per call, fresh processes run from this repository: the 3.x SDK on this Node)');
    try {
      results.fresh = benchFresh(log);
    } catch (err) {
      results.fresh = { skipped: `failed: ${(err as Error).message.split('\n')[0]}` };
    }
  }
  if (wanted('startup')) {
    log('startup (NodeSDK + openai + @anthropic-ai/sdk, one fresh process per variant and round)');
    try {
      results.startup = benchStartup(log);
    } catch (err) {
      results.startup = { skipped: `failed: ${(err as Error).message.split('\n')[0]}` };
    }
  }
  const sdk: Partial<Record<ProviderKey, SdkFigures>> = {};
  for (const { provider, variants } of SDK_SECTIONS) {
    if (!wanted(provider)) continue;
    log(`${provider}: ${variants.join(', ')}`);
    sdk[provider] = await benchSdk(
      // Short batches and many rounds: each round compares the variants within about a second, so load from
      // other processes on a shared machine lands on all of them alike and cancels in the differences.
      // The warm-up is long: the SDK's code and ours keep getting faster for about 5,000 calls (V8 optimizes
      // it in stages), and an app that calls an LLM runs far longer than that.
      {
        provider,
        variants,
        scenarios: ['chat', 'stream'],
        rounds: ROUNDS,
        generations: GENERATIONS,
        calls: calls(250, 125),
        warmupCalls: calls(6000, 3000),
      },
      log,
    );
  }
  results.sdk = sdk;
  if (wanted('langchain')) {
    log(`langchain: ${LANGCHAIN_VARIANTS.join(', ')}`);
    // A chain run costs about 5 OpenAI calls and an agent turn about 35 (0.7 and 5 ms uninstrumented here):
    // batches of 60 to 100 ms, longer than the SDK sections' because a turn's own time varies more.
    const runs = (chain: number, agent: number) => ({ chain: Math.max(10, Math.round(chain * SCALE)), agent: Math.max(3, Math.round(agent * SCALE)) });
    results.langchain = await benchLangChain(
      { variants: LANGCHAIN_VARIANTS, rounds: ROUNDS, generations: GENERATIONS, calls: runs(80, 16), warmupCalls: runs(2000, 400) },
      log,
    );
  }
  if (wanted('bedrock-cohere')) results.bedrockCohere = runJsonChild('bedrock-cohere.ts');
  if (wanted('processor')) {
    log('processor');
    results.processor = runJsonChild('processor.ts');
  }
  if (wanted('attributes')) {
    log('attributes (OpenTelemetry SDK floor)');
    results.attributeCost = runJsonChild('attribute-cost.ts');
  }
  if (wanted('genai')) {
    log('genai (conventions and metrics per call)');
    results.genai = runJsonChild('genai.ts');
  }
  if (wanted('cost')) {
    log('cost (pricing per call)');
    results.cost = runJsonChild('cost.ts');
  }
  if (wanted('mcp')) {
    log('mcp (per tools/call: in-memory and stdio)');
    results.mcp = runJsonChild('mcp.ts');
  }
  if (wanted('agents')) {
    log('agents (per OpenAI Agents turn with one tool call)');
    results.agents = runJsonChild('agents.ts');
  }
  if (wanted('vector-stores')) {
    log('vector-stores (per query: Pinecone query, Qdrant search, Chroma query)');
    results['vector-stores'] = runJsonChild('vector-stores.ts');
  }
  if (wanted('llamaindex')) {
    log('llamaindex (per RetrieverQueryEngine query)');
    results.llamaindex = runJsonChild('llamaindex.ts');
  }
  if (wanted('viewer')) {
    log('viewer (ingest, list and open with 100k spans stored; the viewer runs on Node 22)');
    results.viewer = runJsonChild('viewer.ts');
  }
  if (wanted('memory')) {
    log('memory');
    results.memory = runJsonChild('memory.ts');
  }
  (results.machine as Record<string, unknown>).loadAverageAtEnd = os.loadavg().map((v) => round(v, 2));
  results.durationS = round((Date.now() - started) / 1000);
  fs.writeFileSync(process.env.BENCH_OUT ?? path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(report(results, { rounds: ROUNDS, generations: GENERATIONS }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
