import type AnthropicType from '@anthropic-ai/sdk';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, TestTracing, useInstrumentation } from '../../helpers/tracing';

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

export interface AnthropicSuite {
  readonly tracing: TestTracing;
  readonly Anthropic: typeof AnthropicType;
  readonly server: FakeLlmServer;
  readonly client: AnthropicType;
}

/**
 * The usual Anthropic suite setup, as mocha hooks of the calling `describe`: the instrumentation pointed
 * at `tracing`, the patched SDK, a fake server and `anthropicClient` on it; the server stops after the
 * suite and the spans are cleared before each test. The fields are read once the `before` hook has run.
 */
export function useAnthropicSuite(tracing: TestTracing = createTracing()): AnthropicSuite {
  let Anthropic: typeof AnthropicType;
  let server: FakeLlmServer;
  let client: AnthropicType;

  before(async () => {
    useInstrumentation(tracing);
    Anthropic = loadAnthropic();
    server = await startFakeLlmServer();
    client = anthropicClient(Anthropic, server, tracing);
  });
  after(() => server.stop());
  beforeEach(() => tracing.reset());

  return {
    tracing,
    get Anthropic() {
      return Anthropic;
    },
    get server() {
      return server;
    },
    get client() {
      return client;
    },
  };
}

/** The attributes whose key starts with `prefix`, for exact-keys assertions. */
export function pick(attributes: Record<string, unknown>, prefix: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => key.startsWith(prefix)));
}
