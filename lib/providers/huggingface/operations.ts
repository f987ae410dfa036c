import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { CallKind, CallRecord, Embedding, noteFinishReason, ServerEndpoint } from '../../record/call-record';
import { endpointOf } from '../../record/endpoint';
import { asArray, asNumber, asRecord, asString, Json, without } from '../../record/read';
import { chatCompletions } from '../openai/chat';
import { readVector } from '../openai/embeddings';
import type { HuggingFaceTask } from './files';
import { TextGenerationChunkReader } from './text-stream';

/**
 * What each traced task reads. A task's first argument holds the request (and, from an `InferenceClient`,
 * the client's `accessToken` and `endpointUrl`); the second holds request options (`fetch`, `signal`,
 * `billTo`), never read.
 */
export interface HuggingFaceOperation {
  readonly kind: CallKind;
  readonly operation: string;
  readRequest(record: CallRecord, args: Json): void;
  /** The resolved value of a task that answers with a promise. */
  readResult?(record: CallRecord, value: unknown): void;
  /** The reader of a task that answers with an async generator of chunks. */
  chunkReader?(record: CallRecord): ChunkReader<unknown>;
}

/** `llm.system` for every task: the API is Hugging Face's, whoever serves the model. */
export const HUGGINGFACE_SYSTEM = 'huggingface';
/** `llm.provider` when the call names no provider: the SDK's default `auto` routing through Hugging Face's router. */
export const AUTO_ROUTED_PROVIDER = 'huggingface';
/** What the SDK itself calls a call to an `endpointUrl` (an Inference Endpoint or a self-hosted TGI server). */
export const ENDPOINT_PROVIDER = 'hf-inference';

const ROUTER: ServerEndpoint = { address: 'router.huggingface.co', port: 443 };

/**
 * The provider that serves the call: the one the call names (`together`, `fireworks-ai`, `hf-inference`, …),
 * `hf-inference` for an `endpointUrl` (as the SDK resolves it), else the router's `auto` choice, which the
 * app never sees: recorded as `huggingface`.
 */
export function providerOf(args: Json): string {
  const named = asString(args.provider);
  if (named && named !== 'auto') return named;
  return typeof args.endpointUrl === 'string' && args.endpointUrl !== '' ? ENDPOINT_PROVIDER : AUTO_ROUTED_PROVIDER;
}

/** The endpoint URL when the call has one, else Hugging Face's router, which serves every named provider. */
export function serverOf(args: Json): ServerEndpoint | undefined {
  return typeof args.endpointUrl === 'string' && args.endpointUrl !== '' ? endpointOf(args.endpointUrl) : ROUTER;
}

/** Routing and credentials: never parameters (the token must never be recorded). */
const NOT_REQUEST = new Set(['accessToken', 'endpointUrl', 'provider', 'urlTransform']);

/** The request without routing and credentials: what the OpenAI-shaped chat reader may read. */
function requestBody(args: Json): Json {
  return without(args, NOT_REQUEST) ?? {};
}

/**
 * `chatCompletion`: the OpenAI Chat Completions shape on both sides (the router and every provider speak
 * it), so OpenAI's chat reader reads it: messages, tools, parameters, choices, tool calls, usage.
 */
const chatCompletion: HuggingFaceOperation = {
  kind: 'LLM',
  operation: 'chat',
  readRequest: (record, args) => chatCompletions.readRequest(record, requestBody(args)),
  readResult: (record, value) => chatCompletions.readResponse(record, value),
};

/** `chatCompletionStream`: OpenAI's chunk shape, usage in the last chunk where the provider sends it. */
const chatCompletionStream: HuggingFaceOperation = {
  kind: 'LLM',
  operation: 'chat',
  readRequest: chatCompletion.readRequest,
  chunkReader: (record) => chatCompletions.chunkReader!(record),
};

/** TGI's `parameters` are the invocation parameters, flattened beside the model (`llm.temperature` reads them). */
function taskParameters(args: Json, content: ReadonlySet<string>): Record<string, unknown> | undefined {
  const body = requestBody(args);
  const { parameters, ...rest } = body;
  return without({ ...rest, ...asRecord(parameters) }, content);
}

const PROMPT = new Set(['inputs']);

/**
 * `textGeneration`: a prompt in, `{ generated_text, details? }` out. The exact usage of a completions answer
 * (an endpoint's, most providers') is read from the raw answer (request-functions.ts); a TGI answer's
 * `details.generated_tokens` is the completion count where no usage came, and no prompt count is invented.
 */
const textGeneration: HuggingFaceOperation = {
  kind: 'LLM',
  operation: 'text_completion',
  readRequest(record, args) {
    const prompt = asString(args.inputs);
    if (prompt !== undefined) record.prompts = [prompt];
    record.invocationParameters = taskParameters(args, PROMPT);
  },
  readResult(record, value) {
    const output = asRecord(value);
    if (!output) return;
    record.outputMessages = [{ role: 'assistant', content: asString(output.generated_text) }];
    const details = asRecord(output.details);
    noteFinishReason(record, 0, asString(details?.finish_reason));
    const completion = asNumber(details?.generated_tokens);
    if (completion !== undefined && record.usage.completion === undefined) record.usage = { ...record.usage, completion };
  },
};

/** `textGenerationStream`: the same request; the chunks in OpenAI's completion shape or TGI's (text-stream.ts). */
const textGenerationStream: HuggingFaceOperation = {
  kind: 'LLM',
  operation: 'text_completion',
  readRequest: textGeneration.readRequest,
  chunkReader: (record) => new TextGenerationChunkReader(record),
};

/**
 * `featureExtraction`: the input texts, and one vector per text where the model pools (a `number[]` for a
 * string, a `number[][]` for a list). Token-level outputs (one vector per token) are not one vector per
 * input: only the texts are recorded then. No usage is reported.
 */
const featureExtraction: HuggingFaceOperation = {
  kind: 'EMBEDDING',
  operation: 'embeddings',
  readRequest(record, args) {
    const inputs = args.inputs;
    const texts = typeof inputs === 'string' ? [inputs] : asArray(inputs);
    record.embeddings = texts.map((t): Embedding => ({ text: asString(t) }));
    record.invocationParameters = taskParameters(args, PROMPT);
  },
  readResult(record, value) {
    const embeddings = record.embeddings ?? [];
    const vectors = embeddings.length === 1 && !Array.isArray(asArray(value)[0]) ? [value] : asArray(value);
    if (vectors.length !== embeddings.length) return;
    vectors.forEach((v, i) => {
      const vector = readVector(v);
      if (vector) embeddings[i].vector = vector;
    });
  },
};

export const HUGGINGFACE_OPERATIONS: Readonly<Record<HuggingFaceTask, HuggingFaceOperation>> = {
  chatCompletion,
  chatCompletionStream,
  textGeneration,
  textGenerationStream,
  featureExtraction,
};
