/**
 * Per-call overhead for `@huggingface/inference`: `chatCompletion` and `chatCompletionStream` (the call
 * table, sections `huggingface` for bench/variant.ts and bench/run.ts, in bench/more-sdks.ts' shape), and in
 * the standalone figures also `textGeneration` and `featureExtraction`. The real SDK is answered in-process
 * through its `fetch` option (OpenAI-shaped chat answers from bench/fixtures.ts, an endpoint's completions
 * answer, a feature-extraction vector), with an `endpointUrl`, so no provider mapping is fetched: what is
 * timed is the SDK plus the instrumentation.
 *
 * Standalone, `node --import tsx bench/huggingface.ts` (build first: `npx tsc -p tsconfig.build.json`) prints
 * the four calls' figures through the shared loop (bench/standalone-overhead.ts says what they are).
 */
import * as fx from './fixtures';
import type { Call, Scenario } from './scenario';
import { printOverheadTable } from './standalone-overhead';

export type HuggingFaceKey = 'huggingface';
type HfCall = Scenario | 'text' | 'embed';

const encoder = new TextEncoder();
const ENDPOINT = 'https://my-endpoint.endpoints.huggingface.cloud/v1';
const COMPLETION = encoder.encode(
  JSON.stringify({
    id: 'cmpl-1',
    object: 'text_completion',
    created: 1764576000,
    model: 'tgi',
    choices: [{ index: 0, text: 'Hello there! How can I help you today?', finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 10, total_tokens: 22 },
  }),
);
const VECTOR = encoder.encode(JSON.stringify(Array.from({ length: 384 }, (_, i) => Math.sin(i) / 10)));

const answer = (bytes: Uint8Array, respond: (b: Uint8Array) => Response) => ({ fetch: () => Promise.resolve(respond(bytes)) });

function huggingFaceCalls(): Record<HfCall, Call> {
  const hf = require('@huggingface/inference');
  const client = new hf.InferenceClient('hf_bench', { endpointUrl: ENDPOINT });
  const request = { model: 'tgi', temperature: 0.2, messages: fx.OPENAI_MESSAGES };
  const chat = answer(fx.OPENAI_CHAT, fx.jsonResponse);
  const stream = answer(fx.OPENAI_STREAM, fx.sseResponse);
  const text = answer(COMPLETION, fx.jsonResponse);
  const embed = answer(VECTOR, fx.jsonResponse);
  return {
    async chat() {
      await client.chatCompletion(request, chat);
    },
    async stream() {
      for await (const _chunk of client.chatCompletionStream(request, stream));
    },
    async text() {
      await hf.textGeneration({ endpointUrl: ENDPOINT, model: 'tgi', inputs: 'Say hello.', parameters: { max_new_tokens: 32 } }, text);
    },
    async embed() {
      await hf.featureExtraction({ endpointUrl: `${ENDPOINT}/pipeline/feature-extraction`, inputs: 'Say hello.' }, embed);
    },
  };
}

export const HUGGINGFACE_CALLS: Record<HuggingFaceKey, () => Record<Scenario, Call>> = { huggingface: huggingFaceCalls };

/** The section bench/run.ts adds: the SDK bare, and with @infinium/otel recording content or not. */
export const HUGGINGFACE_SECTIONS: Array<{ provider: HuggingFaceKey; variants: Array<'none' | 'ours' | 'ours-nocontent'> }> = [
  { provider: 'huggingface', variants: ['none', 'ours', 'ours-nocontent'] },
];

if (require.main === module) {
  printOverheadTable(HUGGINGFACE_CALLS, ['huggingface'], ['chat', 'stream', 'text', 'embed']).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
