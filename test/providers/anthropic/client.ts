import type AnthropicType from '@anthropic-ai/sdk';
import type { FakeLlmServer } from '../../helpers/fake-llm-server';
import type { TestTracing } from '../../helpers/tracing';

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

/** The attributes whose key starts with `prefix`, for exact-keys assertions. */
export function pick(attributes: Record<string, unknown>, prefix: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => key.startsWith(prefix)));
}
