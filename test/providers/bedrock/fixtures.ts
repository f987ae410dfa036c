import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';
import { chunk, FakeBedrock, StreamEvent } from './fake-bedrock';

/** Recorded-shape Bedrock Runtime answers (Converse, ConverseStream, InvokeModel bodies). */
export const ACCESS_KEY_ID = 'AKIDINFINIUMTEST01';
export const SECRET_ACCESS_KEY = 'bedrock-secret-access-key-123';
export const SESSION_TOKEN = 'bedrock-session-token-456';
export const NOVA = 'amazon.nova-lite-v1:0';
export const CLAUDE = 'anthropic.claude-3-5-haiku-20241022-v1:0';

export type BedrockSdk = typeof import('@aws-sdk/client-bedrock-runtime');

/** A client as an app makes one, pointed at the fake: static credentials, one attempt (no retry waits). */
export function bedrockClient(sdk: BedrockSdk, endpoint: string, aggregated = false): BedrockRuntimeClient {
  const config = {
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY, sessionToken: SESSION_TOKEN },
    maxAttempts: 1,
  };
  return aggregated ? new sdk.BedrockRuntime(config) : new sdk.BedrockRuntimeClient(config);
}

export interface BedrockSuite {
  instrumentation: InfiniumInstrumentation;
  sdk: BedrockSdk;
  server: FakeBedrock;
  client: BedrockRuntimeClient;
}

/** A suite's set-up (for useProviderSuite, which turned the instrumentation on): the real SDK, a fake Bedrock and a client for it. */
export async function startBedrock(instrumentation: InfiniumInstrumentation): Promise<BedrockSuite> {
  const sdk: BedrockSdk = require('@aws-sdk/client-bedrock-runtime');
  const server = await new FakeBedrock().start();
  return { instrumentation, sdk, server, client: bedrockClient(sdk, server.origin) };
}

export async function stopBedrock(suite: Pick<BedrockSuite, 'server' | 'client'>): Promise<void> {
  suite.client.destroy();
  await suite.server.stop();
}

/** What must never reach a span: the credentials and the request signature. */
export const SECRETS = [ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN, 'AWS4-HMAC-SHA256', 'Signature='];

export function converseResponse(overrides: Record<string, unknown> = {}) {
  return {
    output: { message: { role: 'assistant', content: [{ text: 'Let me check.' }, { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } }] } },
    stopReason: 'tool_use',
    usage: { inputTokens: 12, outputTokens: 7, totalTokens: 119, cacheReadInputTokens: 80, cacheWriteInputTokens: 20 },
    metrics: { latencyMs: 321 },
    ...overrides,
  };
}

export const WEATHER_TOOL = {
  toolSpec: { name: 'get_weather', description: 'Weather by city', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
};

/** ConverseStream: text, then a tool call whose input streams in two pieces, then stop and usage. */
export function converseStreamEvents(): StreamEvent[] {
  return [
    { type: 'messageStart', body: { role: 'assistant' } },
    { type: 'contentBlockDelta', body: { contentBlockIndex: 0, delta: { text: 'Let me ' } } },
    { type: 'contentBlockDelta', body: { contentBlockIndex: 0, delta: { text: 'check.' } } },
    { type: 'contentBlockStop', body: { contentBlockIndex: 0 } },
    { type: 'contentBlockStart', body: { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tooluse_2', name: 'get_weather' } } } },
    { type: 'contentBlockDelta', body: { contentBlockIndex: 1, delta: { toolUse: { input: '{"city":' } } } },
    { type: 'contentBlockDelta', body: { contentBlockIndex: 1, delta: { toolUse: { input: '"Paris"}' } } } },
    { type: 'contentBlockStop', body: { contentBlockIndex: 1 } },
    { type: 'messageStop', body: { stopReason: 'tool_use' } },
    { type: 'metadata', body: { usage: { inputTokens: 30, outputTokens: 9, totalTokens: 39 }, metrics: { latencyMs: 100 } } },
  ];
}

export function anthropicBody() {
  return {
    id: 'msg_bdrk_01',
    type: 'message',
    role: 'assistant',
    model: 'claude-3-5-haiku-20241022',
    content: [{ type: 'text', text: 'Bonjour!' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 4, cache_read_input_tokens: 100, cache_creation_input_tokens: 0 },
  };
}

/** InvokeModelWithResponseStream for Claude: the Messages SSE events as chunks, Bedrock's metrics on the last. */
export function anthropicChunks(): StreamEvent[] {
  return [
    chunk({ type: 'message_start', message: { id: 'msg_bdrk_02', type: 'message', role: 'assistant', model: 'claude-3-5-haiku-20241022', content: [], usage: { input_tokens: 15, output_tokens: 1 } } }),
    chunk({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    chunk({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Bon' } }),
    chunk({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'jour' } }),
    chunk({ type: 'content_block_stop', index: 0 }),
    chunk({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 6 } }),
    chunk({ type: 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: 15, outputTokenCount: 6, invocationLatency: 200, firstByteLatency: 90 } }),
  ];
}

export function novaBody() {
  return {
    output: { message: { role: 'assistant', content: [{ text: 'Hi from Nova' }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 8, outputTokens: 4, totalTokens: 12, cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0 },
  };
}

export function novaChunks(): StreamEvent[] {
  return [
    chunk({ messageStart: { role: 'assistant' } }),
    chunk({ contentBlockDelta: { delta: { text: 'Hi ' }, contentBlockIndex: 0 } }),
    chunk({ contentBlockDelta: { delta: { text: 'there' }, contentBlockIndex: 0 } }),
    chunk({ contentBlockStop: { contentBlockIndex: 0 } }),
    chunk({ messageStop: { stopReason: 'end_turn' } }),
    chunk({ metadata: { usage: { inputTokens: 6, outputTokens: 2 } }, 'amazon-bedrock-invocationMetrics': { inputTokenCount: 6, outputTokenCount: 2 } }),
  ];
}

/** Any other model's stream (here Llama's shape): no content read, but Bedrock's metrics give the counts. */
export function llamaChunks(metrics: Record<string, unknown> = { inputTokenCount: 5, outputTokenCount: 2 }): StreamEvent[] {
  return [
    chunk({ generation: 'Hello', prompt_token_count: 5, generation_token_count: 1, stop_reason: null }),
    chunk({ generation: '!', prompt_token_count: null, generation_token_count: 2, stop_reason: 'stop', 'amazon-bedrock-invocationMetrics': metrics }),
  ];
}

export const encodeJson = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
export const decodeJson = (bytes: Uint8Array): any => JSON.parse(new TextDecoder().decode(bytes));
