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
 * loads instrumentations) and enabled, and the median overhead of interleaved rounds (the table every
 * per-SDK bench file prints, bench/vertex-replicate.ts).
 */
import { chunk, encodeEvent } from '../test/providers/bedrock/fake-bedrock';
import * as fx from './fixtures';
import type { Call, Scenario } from './scenario';
import { printOverheadTable } from './vertex-replicate';

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

if (require.main === module) {
  printOverheadTable(ANTHROPIC_CLOUDS_CALLS, ['anthropic', 'together']).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
