import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';
import type { FakeLlmServer, SseEvent } from '../../helpers/fake-llm-server';
import type { TestTracing } from '../../helpers/tracing';
import { anthropicClient } from '../anthropic/client';
import { message, MODEL as ANTHROPIC_MODEL, textStream } from '../anthropic/fixtures';
import { groqCompletion, groqStream } from '../groq/fixtures';
import { chatCompletion, chatStream } from '../openai/fixtures';

/**
 * Every Stainless SDK we patch, described once for the tests that run the same scenario on each: how to
 * load it (the require hook for the main packages, `manuallyInstrument` for the npm aliases of other
 * majors, which the hook does not know by name), a client on the fake server, one chat call, the fake's
 * answers and what the span must then say.
 */
export interface StainlessSdk {
  readonly label: string;
  load(instrumentation: InfiniumInstrumentation): any;
  client(sdk: any, server: FakeLlmServer, tracing: TestTracing): any;
  /** The chat call: returns the SDK's APIPromise as it is. */
  create(client: any, extra?: Record<string, unknown>): any;
  /** The SDK's `parse()` helper (built on `_thenUnwrap`), where there is one. */
  parse?(client: any): any;
  /** OpenAI's `responses.create` (its APIPromise is itself a `_thenUnwrap` of the request's). */
  responses?(client: any): any;
  readonly answer: () => unknown;
  readonly stream: () => SseEvent[];
  readonly expected: { provider: string; model: string; prompt: number; completion: number; output: string; streamOutput: string };
}

const CHAT = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] };
const GROQ_CHAT = { model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'Hi' }] };
const ANTHROPIC_CHAT = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };

/** A strict json_schema answer format, for the `parse()` helpers. */
const JSON_FORMAT = {
  type: 'json_schema',
  json_schema: {
    name: 'greeting',
    strict: true,
    schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
  },
};

const PARSED_ANSWER = { text: 'Hello there!' };

function aliased(alias: string) {
  return (instrumentation: InfiniumInstrumentation) => {
    const sdk = require(alias);
    instrumentation.manuallyInstrument(sdk);
    return sdk;
  };
}

const OPENAI_EXPECTED = { provider: 'openai', model: 'gpt-4o-mini-2024-07-18', prompt: 19, completion: 10, output: 'Hello there!', streamOutput: 'Let me check.' };

function openai(label: string, load: (instrumentation: InfiniumInstrumentation) => any, parsePath: readonly string[]): StainlessSdk {
  return {
    label,
    load,
    client: (sdk, server) => new sdk.OpenAI({ apiKey: 'sk-test-secret-123', baseURL: 'https://api.openai.com/v1', fetch: server.fetch, maxRetries: 0 }),
    create: (client, extra = {}) => client.chat.completions.create({ ...CHAT, ...extra }),
    parse(client) {
      const completions = parsePath.reduce((node, key) => node[key], client);
      return completions.parse({ ...CHAT, response_format: JSON_FORMAT });
    },
    responses: (client) => client.responses.create({ model: 'gpt-4.1', input: 'Hi' }),
    answer: () => chatCompletion(),
    stream: chatStream,
    expected: OPENAI_EXPECTED,
  };
}

function groq(label: string, load: (instrumentation: InfiniumInstrumentation) => any): StainlessSdk {
  return {
    label,
    load,
    client: (sdk, server) => new sdk.Groq({ apiKey: 'sk-test-secret-123', baseURL: 'https://api.groq.com', fetch: server.fetch, maxRetries: 0 }),
    create: (client, extra = {}) => client.chat.completions.create({ ...GROQ_CHAT, ...extra }),
    answer: () => groqCompletion(),
    stream: groqStream,
    expected: { provider: 'groq', model: 'llama-3.3-70b-versatile', prompt: 21, completion: 6, output: 'Hello from Groq!', streamOutput: 'Let me check.' },
  };
}

export const STAINLESS_SDKS: readonly StainlessSdk[] = [
  openai('openai 4 (openai-v4)', aliased('openai-v4'), ['beta', 'chat', 'completions']),
  openai('openai 5 (openai-v5)', aliased('openai-v5'), ['chat', 'completions']),
  openai('openai 6', () => require('openai'), ['chat', 'completions']),
  openai('openai 7 (openai-v7)', aliased('openai-v7'), ['chat', 'completions']),
  {
    label: '@anthropic-ai/sdk 1',
    load: () => require('@anthropic-ai/sdk'),
    // The SDK's own tracing is on and writes to the test's provider: its span must stay a child, not a second LLM span.
    client: (sdk, server, tracing) => anthropicClient(sdk.Anthropic, server, tracing),
    create: (client, extra = {}) => client.messages.create({ ...ANTHROPIC_CHAT, ...extra }),
    answer: () => message(),
    stream: textStream,
    expected: { provider: 'anthropic', model: ANTHROPIC_MODEL, prompt: 312, completion: 9, output: 'Hello there!', streamOutput: 'Hi there' },
  },
  groq('groq-sdk 1', () => require('groq-sdk')),
  groq('groq-sdk 0 (groq-v0)', aliased('groq-v0')),
];

/** The answer the `parse()` helpers get: JSON text that matches JSON_FORMAT. */
export function parseableAnswer(): unknown {
  return chatCompletion({
    choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(PARSED_ANSWER), refusal: null }, logprobs: null, finish_reason: 'stop' }],
  });
}

export { PARSED_ANSWER };
