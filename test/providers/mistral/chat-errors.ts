import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { errorBody } from './fixtures';
import { API_KEY, type MistralSuite, SHORT } from './suite-context';

/** HTTP errors of `chat.complete` and `chat.stream`: the span is ERROR, the app gets the SDK's own error. */
export function chatErrorTests(suite: MistralSuite): void {
  const { onlySpan } = suite;

  for (const status of [400, 429]) {
    for (const method of ['complete', 'stream'] as const) {
      it(`chat.${method}, HTTP ${status}: ERROR with error.type SDKError, the SDK's own error reaching the app`, async () => {
        suite.server.reply({ status, json: errorBody(status) });
        const promise: Promise<unknown> = suite.client.chat[method](SHORT);
        const caught = await promise.then(() => undefined, (err: unknown) => err);
        expect(caught).to.be.instanceOf(suite.major.errors.SDKError);
        expect((caught as { statusCode: number }).statusCode).to.equal(status);
        expect(await promise.then(() => undefined, (err: unknown) => err)).to.equal(caught);
        const span = await onlySpan();
        expect(span.status.code).to.equal(SpanStatusCode.ERROR);
        expect(span.attributes['error.type']).to.equal('SDKError');
        expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
        expect(span.events[0].attributes?.['exception.message']).to.equal((caught as Error).message);
        expect(JSON.stringify([span.attributes, span.events])).not.to.contain(API_KEY);
      });
    }
  }
}
