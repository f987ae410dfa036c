import { FakeResponse, ReceivedRequest } from '../helpers/fake-llm-server';
import { textStream as claudeStream } from '../providers/anthropic/fixtures';
import { bedrockEvents, FakeClouds, startFakeClouds } from '../providers/anthropic/clouds/fake-clouds';
import { bedrockMessage, vertexMessage } from '../providers/anthropic/clouds/fixtures';
import { generateContentResponse, sse, textStream as geminiStream } from '../providers/google/fixtures';
import { huggingFaceRoutes } from '../providers/huggingface/fixtures';
import { chatCompletion as openAiChat, embeddingList, float32Base64 } from '../providers/openai/fixtures';
import { prediction, running, textEvents } from '../providers/replicate/fixtures';
import { chatCompletion as togetherChat, chatStream as togetherStream } from '../providers/together/fixtures';
import { FakeStores } from '../frameworks/vector-stores/fake-stores';

/**
 * The fakes of the clients apps (clients-apps.ts), started by the mocha process: one model server answering
 * every client under its own path (the rooms' recorded-shape fixtures), and the vector stores' server
 * (test/frameworks/vector-stores/fake-stores.ts). Their origins reach the apps as FAKE_LLM_ORIGIN and
 * FAKE_STORES_ORIGIN.
 */
export interface ClientsFakes {
  llm: FakeClouds;
  stores: FakeStores;
  env(): Record<string, string>;
  stop(): Promise<void>;
}

export async function startClientsFakes(): Promise<ClientsFakes> {
  const llm = await startFakeClouds();
  llm.handle((request) => answerClients(request, llm.origin));
  // Claude on Bedrock streams the AWS event stream; every other answer is the handler's.
  llm.eventStream({ events: bedrockEvents(claudeStream()), onlyPath: /\/invoke-with-response-stream$/ });
  const stores = await new FakeStores().start();
  return {
    llm,
    stores,
    env: () => ({ FAKE_LLM_ORIGIN: llm.origin, FAKE_STORES_ORIGIN: stores.origin }),
    stop: async () => void (await Promise.all([llm.stop(), stores.stop()])),
  };
}

const HF = huggingFaceRoutes();
const withoutPrefix = (request: ReceivedRequest, prefix: string): ReceivedRequest => ({ ...request, path: request.path.slice(prefix.length) });

function answerClients(request: ReceivedRequest, origin: string): FakeResponse {
  const { path } = request;
  if (path.endsWith(':rawPredict')) return { json: vertexMessage() };
  if (path.endsWith(':streamRawPredict')) return { sse: claudeStream() };
  if (path.endsWith('/invoke')) return { json: bedrockMessage() };
  if (path.endsWith(':generateContent')) return { json: generateContentResponse() };
  if (path.includes(':streamGenerateContent')) return sse(geminiStream());
  if (path.startsWith('/together-ai/')) return request.body?.stream ? { sse: togetherStream() } : { json: togetherChat() };
  if (path.startsWith('/replicate/')) return replicate(request, `${origin}/replicate`);
  if (path.startsWith('/hf-429/')) return { status: 429, json: { error: 'Rate limit reached. You reached free usage limit (reset hourly).' } };
  if (path.startsWith('/hf/')) return HF(withoutPrefix(request, '/hf'));
  // Hugging Face's hub and router, reached through the client's own fetch (provider `together`).
  if (path.startsWith('/api/models/') || path.startsWith('/together/')) return HF(request);
  if (path.startsWith('/li/')) return llamaIndexOpenAi(request);
  return { status: 404, json: { error: { message: `no fake for ${path}` } } };
}

/**
 * Replicate: `run()` asks to wait (`Prefer: wait`) and gets the finished prediction; `stream()` does not, and gets
 * it `starting` (no output, no metrics, as the API answers), then reads its stream URL.
 */
function replicate(request: ReceivedRequest, origin: string): FakeResponse {
  const { path } = request;
  if (path.startsWith('/replicate/v1/stream/')) return { sse: textEvents() };
  if (path.endsWith('/predictions')) return { status: 201, json: request.headers.prefer ? prediction({}, origin) : running('starting', origin) };
  return { status: 404, json: { title: 'Not found', detail: path, status: 404 } };
}

/** A vector by keyword (as test/frameworks/llamaindex's harness does), so that retrieval scores are exact: 1, 0.6, 0. */
function vectorOf(text: string): number[] {
  if (text.includes('Bananas')) return [0, 1, 0];
  if (text.includes('OTLP')) return [3, 4, 0];
  return [1, 0, 0];
}

/** The OpenAI API as @llamaindex/openai calls it: embeddings by keyword, chat as JSON. */
function llamaIndexOpenAi(request: ReceivedRequest): FakeResponse {
  const body = request.body ?? {};
  if (request.path.endsWith('/embeddings')) {
    const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
    return { json: embeddingList(inputs.map((text) => (body.encoding_format === 'base64' ? float32Base64(vectorOf(text)) : vectorOf(text)))) };
  }
  return { json: openAiChat({ choices: [{ index: 0, message: { role: 'assistant', content: 'Infinium traces calls.' }, finish_reason: 'stop' }] }) };
}
