import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { RESPONSE_MODEL, usageOf } from './fixtures';
import type { AgentsSuite } from './suite';
import { kindOf, ofKind } from '../langchain/e2e/tree';

/**
 * Checks every agents test shares: the LLM spans (one per request the fake server answered, each with its
 * request's exact tokens), and that no span of ours was left open.
 */
export { childrenOf, expectChildOf, expectOneTree, isUnder, kindOf, named, ofKind, only, outline, parentOf } from '../langchain/e2e/tree';

export const WEATHER_QUESTION = 'What is the weather in Paris?';

/** The token attributes of an LLM span, for an exact comparison. */
export function tokensOf(span: ReadableSpan) {
  const a = span.attributes;
  return {
    prompt: a['llm.token_count.prompt'],
    completion: a['llm.token_count.completion'],
    total: a['llm.token_count.total'],
    cacheRead: a['llm.token_count.prompt_details.cache_read'],
    reasoning: a['llm.token_count.completion_details.reasoning'],
  };
}

/** What the n-th request's LLM span must carry (fixtures.ts usageOf). */
export function tokensOfRequest(n: number) {
  const usage = usageOf(n);
  return { prompt: usage.input, completion: usage.output, total: usage.input + usage.output, cacheRead: usage.cached, reasoning: usage.reasoning };
}

/**
 * Exactly one LLM span per request served, in request order, each with the response's model and the
 * exact usage of its request (request n carries usageOf(n)). Returns them, oldest first.
 */
export function expectOneLlmSpanPerRequest(suite: AgentsSuite, spans: ReadableSpan[], model = RESPONSE_MODEL): ReadableSpan[] {
  const llms = ofKind(spans, 'LLM');
  expect(llms.length, 'LLM spans = requests the fake server answered').to.equal(suite.server.requests.length);
  llms.forEach((llm, i) => {
    expect(llm.attributes['llm.model_name'], `LLM span ${i + 1} model`).to.equal(model);
    expect(tokensOf(llm), `LLM span ${i + 1} tokens`).to.deep.equal(tokensOfRequest(i + 1));
    expect(llm.instrumentationScope.name).to.equal('@infinium/otel');
  });
  return llms;
}

/** No span of ours was started and left open. */
export function expectAllEnded(suite: AgentsSuite): void {
  expect(suite.openSpans.names(), 'spans still open').to.deep.equal([]);
}

/** Every span that is not in `failed` is not ERROR. */
export function expectOnlyErrors(spans: ReadableSpan[], failed: ReadableSpan[] = []): void {
  const errors = spans.filter((s) => s.status.code === SpanStatusCode.ERROR && !failed.includes(s));
  expect(errors.map((s) => `${s.name} ${kindOf(s)}`), 'spans ERROR').to.deep.equal([]);
}
