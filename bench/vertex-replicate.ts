/**
 * Per-call overhead for `@google-cloud/vertexai` (generateContent, generateContentStream) and `replicate`
 * (`run` of a language model; `stream`, which creates the prediction and reads its SSE stream): the real
 * SDKs answered in-process from recorded shapes (bench/fixtures.ts' Gemini answers; the Replicate test
 * fixtures), no network, so what is timed is the SDK plus the instrumentation. The call tables follow
 * bench/more-sdks.ts (sections `vertexai`, `replicate` for bench/variant.ts and bench/run.ts).
 *
 * The Vertex SDK has no `fetch` option: it calls the global `fetch`, which this process replaces once by
 * an in-process answer (`VERTEX_FETCH`, installed by `vertexCalls`). Its auth is an `authClient` with a
 * fixed token.
 *
 * Standalone, `node --import tsx bench/vertex-replicate.ts` (build first: `npx tsc -p tsconfig.build.json`)
 * prints, per SDK and call, the CPU µs with the built package's instrumentation disabled (`none`: its
 * require hooks stay registered, as in any app that loads instrumentations) and enabled, the median
 * overhead of interleaved rounds, and the spans per call.
 */
import { prediction, running, textEvents } from '../test/providers/replicate/fixtures';
import * as fx from './fixtures';
import type { Call, Scenario } from './scenario';
import { printOverheadTable } from './standalone-overhead';

export type VertexReplicateKey = 'vertexai' | 'replicate';

const encoder = new TextEncoder();
const ORIGIN = 'https://api.replicate.com';
const REPLICATE_RUN = encoder.encode(JSON.stringify(prediction({}, ORIGIN)));
const REPLICATE_CREATED = encoder.encode(JSON.stringify(running('starting', ORIGIN)));
const REPLICATE_EVENTS = fx.sse(textEvents(fx.STREAM_PIECES.map((piece) => `${piece} `)));

/** The Vertex SDK's global `fetch`, answered in-process: the SSE answer for `?alt=sse`, else the JSON one. */
const VERTEX_FETCH = (input: unknown): Promise<Response> =>
  Promise.resolve(String(input instanceof Request ? input.url : input).endsWith('?alt=sse') ? fx.sseResponse(fx.GEMINI_STREAM) : fx.jsonResponse(fx.GEMINI_CONTENT));

function vertexCalls(): Record<Scenario, Call> {
  globalThis.fetch = VERTEX_FETCH as typeof fetch;
  const { VertexAI } = require('@google-cloud/vertexai');
  const warn = console.warn;
  console.warn = () => undefined; // the SDK's deprecation notice, once per client
  const authClient = { getAccessToken: async () => ({ token: 'bench' }), getRequestHeaders: async () => ({ Authorization: 'Bearer bench' }) };
  const vertex = new VertexAI({ project: 'bench', location: 'us-central1', googleAuthOptions: { authClient } });
  console.warn = warn;
  const model = vertex.getGenerativeModel({ model: 'gemini-2.0-flash', systemInstruction: 'Answer briefly.', generationConfig: { temperature: 0.2 } });
  return {
    async chat() {
      await model.generateContent('Say hello and offer help.');
    },
    async stream() {
      const result = await model.generateContentStream('Say hello and offer help.');
      for await (const _chunk of result.stream);
      await result.response;
    },
  };
}

function replicateCalls(): Record<Scenario, Call> {
  const Replicate = require('replicate');
  // `run` blocks (`Prefer: wait`) and gets the finished prediction; `stream` creates one, then reads `urls.stream`.
  const runClient = new Replicate({ auth: 'r8_bench', fetch: () => Promise.resolve(fx.jsonResponse(REPLICATE_RUN)) });
  const streamFetch = (_url: unknown, init?: { method?: string }) =>
    Promise.resolve(init?.method === 'POST' ? fx.jsonResponse(REPLICATE_CREATED) : fx.sseResponse(REPLICATE_EVENTS));
  const streamClient = new Replicate({ auth: 'r8_bench', fetch: streamFetch });
  const input = { prompt: 'Say hello and offer help.', system_prompt: 'Answer briefly.', max_tokens: 256, temperature: 0.2 };
  return {
    async chat() {
      await runClient.run('meta/meta-llama-3-8b-instruct', { input });
    },
    async stream() {
      for await (const _event of streamClient.stream('meta/meta-llama-3-8b-instruct', { input }));
    },
  };
}

export const VERTEX_REPLICATE_CALLS: Record<VertexReplicateKey, () => Record<Scenario, Call>> = { vertexai: vertexCalls, replicate: replicateCalls };

/** The sections bench/run.ts adds: each SDK bare, and with @infinium/otel recording content or not. */
export const VERTEX_REPLICATE_SECTIONS: Array<{ provider: VertexReplicateKey; variants: Array<'none' | 'ours' | 'ours-nocontent'> }> = [
  { provider: 'vertexai', variants: ['none', 'ours', 'ours-nocontent'] },
  { provider: 'replicate', variants: ['none', 'ours', 'ours-nocontent'] },
];

/** The loop every per-SDK bench file shares (bench/standalone-overhead.ts); re-exported for files that import it from here. */
export { printOverheadTable };

if (require.main === module) {
  printOverheadTable(VERTEX_REPLICATE_CALLS, ['google', 'replicate']).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
