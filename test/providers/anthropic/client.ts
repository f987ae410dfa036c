import type AnthropicType from '@anthropic-ai/sdk';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { ProviderSuite, useProviderSuite } from '../../helpers/provider-suite';
import { createTracing, TestTracing } from '../../helpers/tracing';

export const API_KEY = 'sk-ant-test-secret-123';

/** The SDK class, required lazily: after `useInstrumentation`, so the require hook patches it. */
export function loadAnthropic(): typeof AnthropicType {
  return require('@anthropic-ai/sdk').Anthropic;
}

/**
 * A real client against the fake server. The SDK's own tracing is on (its default) and sends its spans to
 * the test's provider, as it would to the app's global provider, so every test also checks that they
 * coexist with ours.
 */
export function anthropicClient(Anthropic: typeof AnthropicType, server: FakeLlmServer, tracing: TestTracing): AnthropicType {
  return new Anthropic({
    apiKey: API_KEY,
    baseURL: 'https://api.anthropic.com',
    fetch: server.fetch,
    maxRetries: 0,
    openTelemetry: { tracerProvider: tracing.provider },
  });
}

export type AnthropicSuite = ProviderSuite<{ Anthropic: typeof AnthropicType; server: FakeLlmServer; client: AnthropicType }>;

/** The usual Anthropic suite (useProviderSuite): the patched SDK, a fake server and `anthropicClient` on it. */
export function useAnthropicSuite(tracing: TestTracing = createTracing()): AnthropicSuite {
  return useProviderSuite(
    async () => {
      const Anthropic = loadAnthropic();
      const server = await startFakeLlmServer();
      return { Anthropic, server, client: anthropicClient(Anthropic, server, tracing) };
    },
    { tracing },
  );
}

/** The attributes whose key starts with `prefix`, for exact-keys assertions. */
export function pick(attributes: Record<string, unknown>, prefix: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => key.startsWith(prefix)));
}

/** Reads a stream to its end and returns the error it failed with. */
export async function readToFailure(created: Promise<AsyncIterable<unknown>>): Promise<unknown> {
  try {
    for await (const _ of await created) void _;
  } catch (err) {
    return err;
  }
  throw new Error('the stream did not fail');
}
