/**
 * Per-call overhead for Claude on Vertex AI (`@anthropic-ai/vertex-sdk`) and on Amazon Bedrock
 * (`@anthropic-ai/bedrock-sdk`), and for `together-ai`: the real SDKs answered in-process by a `fetch` that
 * returns recorded bodies (bench/fixtures.ts: Anthropic's message and SSE stream, OpenAI's chat shapes;
 * Bedrock's stream re-framed as the AWS event stream it really is), so what is timed is the SDK plus the
 * instrumentation. The call tables follow bench/more-sdks.ts (sections `anthropic-vertex`,
 * `anthropic-bedrock`, `together` for bench/variant.ts and bench/run.ts).
 *
 * Standalone, `node --import tsx bench/anthropic-clouds.ts` prints, per SDK and call, the CPU µs of the
 * built package's instrumentation disabled (`none`: its require hooks stay registered, as in any app that
 * loads instrumentations) and enabled, and the median overhead of interleaved rounds.
 */
import path from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { chunk, encodeEvent } from '../test/providers/bedrock/fake-bedrock';
import { CountingExporter } from './drop-exporter';
import * as fx from './fixtures';
import type { Call, Scenario } from './scenario';
import { median, medianOverhead, rotate, round, table } from './stats';

export type CloudProviderKey = 'anthropic-vertex' | 'anthropic-bedrock' | 'together';

const REQUEST = { max_tokens: 256, system: 'Answer briefly.', messages: [{ role: 'user' as const, content: 'Say hello.' }] };

/** The Anthropic SSE events of bench/fixtures.ts, each in an event-stream `chunk` frame, as Bedrock sends them. */
function bedrockStreamBytes(): Uint8Array {
  const events = new TextDecoder()
    .decode(fx.ANTHROPIC_STREAM)
    .split('\n\n')
    .map((frame) => frame.split('\n').find((line) => line.startsWith('data: ')))
    .filter((line): line is string => line !== undefined)
    .map((line) => encodeEvent(chunk(JSON.parse(line.slice(6)))));
  return Buffer.concat(events);
}

const eventStreamResponse = (bytes: Uint8Array) =>
  new Response(bytes as unknown as BodyInit, { status: 200, headers: { 'content-type': 'application/vnd.amazon.eventstream' } });

/** `create` and `create({stream: true})` on an Anthropic-shaped client made by `client(fetch)`. */
function anthropicShapedCalls(client: (fetch: () => Promise<Response>) => any, model: string, stream: () => Response): Record<Scenario, Call> {
  const chatClient = client(() => Promise.resolve(fx.jsonResponse(fx.ANTHROPIC_MESSAGE)));
  const streamClient = client(() => Promise.resolve(stream()));
  return {
    async chat() {
      await chatClient.messages.create({ ...REQUEST, model });
    },
    async stream() {
      for await (const _event of await streamClient.messages.create({ ...REQUEST, model, stream: true }));
    },
  };
}

function vertexCalls(): Record<Scenario, Call> {
  const { AnthropicVertex } = require('@anthropic-ai/vertex-sdk');
  const authClient = { projectId: 'bench', getRequestHeaders: async () => new Headers({ authorization: 'Bearer bench' }) };
  const client = (fetch: () => Promise<Response>) => new AnthropicVertex({ region: 'us-east5', projectId: 'bench', authClient, fetch, maxRetries: 0 });
  return anthropicShapedCalls(client, 'claude-sonnet-4-5@20250929', () => fx.sseResponse(fx.ANTHROPIC_STREAM));
}

function bedrockCalls(): Record<Scenario, Call> {
  const { AnthropicBedrock } = require('@anthropic-ai/bedrock-sdk');
  const frames = bedrockStreamBytes();
  // SigV4 signing with static keys, as an app with credentials does on every call.
  const client = (fetch: () => Promise<Response>) =>
    new AnthropicBedrock({ awsAccessKey: 'AKIDBENCH', awsSecretKey: 'bench-secret', awsRegion: 'us-east-1', fetch, maxRetries: 0 });
  return anthropicShapedCalls(client, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', () => eventStreamResponse(frames));
}

function togetherCalls(): Record<Scenario, Call> {
  const { Together } = require('together-ai');
  const chatClient = new Together({ apiKey: 'bench', fetch: () => Promise.resolve(fx.jsonResponse(fx.OPENAI_CHAT)), maxRetries: 0 });
  const streamClient = new Together({ apiKey: 'bench', fetch: () => Promise.resolve(fx.sseResponse(fx.OPENAI_STREAM)), maxRetries: 0 });
  const request = { model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', temperature: 0.2, messages: fx.OPENAI_MESSAGES };
  return {
    async chat() {
      await chatClient.chat.completions.create(request);
    },
    async stream() {
      for await (const _chunk of await streamClient.chat.completions.create({ ...request, stream: true }));
    },
  };
}

export const ANTHROPIC_CLOUDS_CALLS: Record<CloudProviderKey, () => Record<Scenario, Call>> = {
  'anthropic-vertex': vertexCalls,
  'anthropic-bedrock': bedrockCalls,
  together: togetherCalls,
};

/** The sections bench/run.ts adds: each SDK bare, and with @infinium/otel recording content or not. */
export const ANTHROPIC_CLOUDS_SECTIONS: Array<{ provider: CloudProviderKey; variants: Array<'none' | 'ours' | 'ours-nocontent'> }> = [
  { provider: 'anthropic-vertex', variants: ['none', 'ours', 'ours-nocontent'] },
  { provider: 'anthropic-bedrock', variants: ['none', 'ours', 'ours-nocontent'] },
  { provider: 'together', variants: ['none', 'ours', 'ours-nocontent'] },
];

/** Standalone figures: µs of CPU per call, `none` and `ours` alternating in rotated rounds (round -1 warms up). */
async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
  const calls = Math.max(50, Math.round(300 * Number(process.env.BENCH_SCALE ?? 1)));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // The SDKs' own spans (Anthropic 1.x emits one per call, with or without us) are not counted.
  const exporter = new CountingExporter((span) => span.instrumentationScope.name === '@infinium/otel');
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const { InfiniumInstrumentation } = require(path.resolve(__dirname, '..', 'dist', 'index.js'));
  const instrumentation = new InfiniumInstrumentation({ providers: ['anthropic', 'together'] });
  instrumentation.setTracerProvider(provider);
  trace.setGlobalTracerProvider(provider);
  const rows: Array<Array<string | number>> = [];
  for (const [name, make] of Object.entries(ANTHROPIC_CLOUDS_CALLS)) {
    for (const scenario of ['chat', 'stream'] as const) {
      const samples: Record<'none' | 'ours', number[]> = { none: [], ours: [] };
      let spansPerCall = 0;
      for (let r = -1; r < rounds; r++) {
        for (const variant of rotate(['none', 'ours'] as const, r)) {
          if (variant === 'none') instrumentation.disable();
          else instrumentation.enable();
          const call = make()[scenario];
          const [spans, cpu] = [exporter.counted, process.cpuUsage()];
          for (let i = 0; i < calls; i++) await call();
          const used = process.cpuUsage(cpu);
          if (variant === 'ours') spansPerCall = (exporter.counted - spans) / calls;
          if (r >= 0) samples[variant].push((used.user + used.system) / calls);
        }
      }
      rows.push([name, scenario, round(median(samples.none)), round(median(samples.ours)), round(medianOverhead(samples.ours, samples.none)), spansPerCall]);
    }
  }
  console.log(table(['sdk', 'call', 'none µs', 'ours µs', 'overhead µs', 'spans/call'], rows));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
