/**
 * Per-call overhead on AWS Bedrock Runtime (Converse, ConverseStream) and Cohere v2 (chat, chatStream):
 * the real SDKs answered in-process (a Smithy request handler / a `fetch` returning recorded shapes, no
 * network), our instrumentation from the built package toggled between `none` (disabled), `ours` and
 * `ours-nocontent` within each round, rounds interleaved (see bench/stats.ts for the medians).
 * `none` is our instrumentation disabled in the same process: its require hooks stay registered, as in any
 * app that loads OpenTelemetry instrumentations. That matters here: the Smithy client calls
 * `require('@smithy/core/event-streams')` on every event stream it reads, which a require hook intercepts
 * (measured at ~15% of a ConverseStream call under tsx), so a baseline without hooks would bill that to us.
 *
 * `npm run bench` runs it in a child process (BENCH_ONLY=bedrock-cohere for this part alone); standalone,
 * `node --import tsx bench/bedrock-cohere.ts` prints the JSON figures.
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { HttpResponse } from '@smithy/core/protocols';
import { encodeEvent } from '../test/providers/bedrock/fake-bedrock';
import { converseResponse, converseStreamEvents } from '../test/providers/bedrock/fixtures';
import { chatResponse, chatStreamEvents } from '../test/providers/cohere/fixtures';
import { CountingExporter } from './drop-exporter';
import { jsonResponse, sseResponse } from './fixtures';
import { median, medianOverhead, rotate, round, table } from './stats';

type Variant = 'none' | 'ours' | 'ours-nocontent';
type Call = () => Promise<void>;
const VARIANTS: readonly Variant[] = ['none', 'ours', 'ours-nocontent'];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CALLS = Math.max(50, Math.round(300 * Number(process.env.BENCH_SCALE ?? 1)));
const encoder = new TextEncoder();

/** Bedrock: a request handler that answers at once, as the HTTP/2 handler would after the network. */
export function bedrockCalls(): Record<'chat' | 'stream', Call> {
  const sdk = require('@aws-sdk/client-bedrock-runtime');
  const json = encoder.encode(JSON.stringify(converseResponse()));
  const frames = converseStreamEvents().map((e) => Buffer.from(encodeEvent(e)));
  const client = (body: () => unknown, contentType: string) =>
    new sdk.BedrockRuntimeClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' },
      requestHandler: { handle: async () => ({ response: new HttpResponse({ statusCode: 200, headers: { 'content-type': contentType }, body: body() }) }) },
    });
  const chatClient = client(() => json, 'application/json');
  const streamClient = client(() => Readable.from(frames), 'application/vnd.amazon.eventstream');
  const request = { modelId: 'amazon.nova-lite-v1:0', system: [{ text: 'Answer briefly.' }], messages: [{ role: 'user', content: [{ text: 'Say hello.' }] }], inferenceConfig: { temperature: 0.2 } };
  return {
    async chat() {
      await chatClient.send(new sdk.ConverseCommand(request));
    },
    async stream() {
      const output = await streamClient.send(new sdk.ConverseStreamCommand(request));
      for await (const _event of output.stream);
    },
  };
}

/** Cohere: a `fetch` answering with recorded bodies. Clients are built per round: they bind methods when built. */
export function cohereCalls(): Record<'chat' | 'stream', Call> {
  const { CohereClientV2 } = require('cohere-ai');
  const json = encoder.encode(JSON.stringify(chatResponse()));
  const sse = encoder.encode(chatStreamEvents().map((e) => `${e.event ? `event: ${e.event}\n` : ''}data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}\n\n`).join(''));
  const request = { model: 'command-a-03-2025', temperature: 0.2, messages: [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: 'Say hello.' }] };
  const chatClient = new CohereClientV2({ token: 'bench', fetch: async () => jsonResponse(json), maxRetries: 0 });
  const streamClient = new CohereClientV2({ token: 'bench', fetch: async () => sseResponse(sse), maxRetries: 0 });
  return {
    async chat() {
      await chatClient.chat(request);
    },
    async stream() {
      for await (const _event of await streamClient.chatStream(request));
    },
  };
}

async function cpuUsPerCall(call: Call, n: number): Promise<number> {
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) await call();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / n;
}

export type ProviderFigures = Record<'chat' | 'stream', Record<Variant, { usPerCall: number; overheadUs?: number; spansPerCall: number }>>;

async function main(): Promise<void> {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  context.with(context.active(), () => undefined);
  const exporter = new CountingExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const { InfiniumInstrumentation } = require(path.resolve(__dirname, '..', 'dist', 'index.js'));
  const instrumentation = new InfiniumInstrumentation({ providers: ['bedrock', 'cohere'] });
  instrumentation.setTracerProvider(provider);
  trace.setGlobalTracerProvider(provider);
  const use = (variant: Variant) => {
    if (variant === 'none') return instrumentation.disable();
    instrumentation.setConfig({ providers: ['bedrock', 'cohere'], captureContent: variant === 'ours' });
    instrumentation.enable();
  };
  const figures: Record<string, ProviderFigures> = {};
  for (const [name, make] of [['bedrock', bedrockCalls], ['cohere', cohereCalls]] as const) {
    figures[name] = {} as ProviderFigures;
    for (const scenario of ['chat', 'stream'] as const) {
      const samples: Record<Variant, number[]> = { none: [], ours: [], 'ours-nocontent': [] };
      const spans: Record<Variant, number> = { none: 0, ours: 0, 'ours-nocontent': 0 };
      for (let r = -1; r < ROUNDS; r++) {
        for (const variant of rotate(VARIANTS, r)) {
          use(variant);
          const call = make()[scenario];
          const before = exporter.spans;
          const us = await cpuUsPerCall(call, CALLS);
          spans[variant] = (exporter.spans - before) / CALLS;
          if (r >= 0) samples[variant].push(us); // round -1 warms up
        }
      }
      const out = {} as ProviderFigures['chat'];
      for (const variant of VARIANTS) {
        out[variant] = { usPerCall: round(median(samples[variant])), spansPerCall: spans[variant] };
        if (variant !== 'none') out[variant].overheadUs = round(medianOverhead(samples[variant], samples.none));
      }
      figures[name][scenario] = out;
    }
  }
  console.log(JSON.stringify(figures));
}

/** The report section `npm run bench` prints. */
export function reportBedrockCohere(figures: Record<string, ProviderFigures> | { skipped: string }): string {
  if ('skipped' in figures) return `== bedrock, cohere: skipped: ${figures.skipped}`;
  const out: string[] = [];
  for (const [name, f] of Object.entries(figures)) {
    out.push('', `== ${name}: CPU µs per call (median of interleaved rounds, in-process answers); overhead = variant - none`);
    const row = (v: Variant) => [v, f.chat[v].usPerCall, f.chat[v].overheadUs ?? '-', f.stream[v].usPerCall, f.stream[v].overheadUs ?? '-', f.chat[v].spansPerCall];
    out.push(table(['variant', 'chat µs', 'chat +µs', 'stream µs', 'stream +µs', 'spans/call'], VARIANTS.map(row)));
  }
  return out.join('\n');
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
