import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type OpenAIType from 'openai';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { ProviderSuite, useProviderSuite } from '../../helpers/provider-suite';
import { llmSpans, TestTracing } from '../../helpers/tracing';

export const API_KEY = 'sk-test-secret-123';

/** The SDK class, required lazily: after `useInstrumentation`, so the require hook patches it. */
export function loadOpenAI(): typeof OpenAIType {
  return require('openai').OpenAI;
}

/** A real client against the fake server. */
export function openaiClient(OpenAI: typeof OpenAIType, server: FakeLlmServer): OpenAIType {
  return new OpenAI({ apiKey: API_KEY, baseURL: 'https://api.openai.com/v1', fetch: server.fetch, maxRetries: 0 });
}

export type OpenAISuite = ProviderSuite<{ OpenAI: typeof OpenAIType; server: FakeLlmServer; client: OpenAIType }>;

/** The usual OpenAI suite (useProviderSuite): the patched SDK, a fake server and a client on it. */
export function useOpenAISuite(tracing?: TestTracing): OpenAISuite {
  return useProviderSuite(
    async () => {
      const OpenAI = loadOpenAI();
      const server = await startFakeLlmServer();
      return { OpenAI, server, client: openaiClient(OpenAI, server) };
    },
    { tracing },
  );
}

/**
 * `promise` (a call the fake server answered with HTTP 400) rejects with the SDK's BadRequestError, the
 * SDK's promise holds that one error object, and the span is ERROR with error.type and one exception
 * event carrying its message. Returns the span for further checks.
 */
export async function expectBadRequest(suite: OpenAISuite, promise: Promise<unknown>): Promise<ReadableSpan> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught).to.be.instanceOf(suite.OpenAI.BadRequestError);
  // The SDK's promise holds the one error object the app received.
  expect(await promise.then(() => undefined, (err: unknown) => err)).to.equal(caught);
  const [span] = llmSpans(await suite.tracing.spans());
  expect(span.status.code).to.equal(SpanStatusCode.ERROR);
  expect(span.attributes['error.type']).to.equal('BadRequestError');
  expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
  expect(span.events[0].attributes?.['exception.message']).to.equal((caught as Error).message);
  return span;
}
