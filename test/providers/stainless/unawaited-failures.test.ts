import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { llmSpans } from '../../helpers/tracing';
import { RejectionLog, rejectionsOf as rejectionsWith, settle } from '../../helpers/rejections';
import { waitFor } from '../../helpers/wait';
import { STAINLESS_SDKS } from './sdks';
import { useUnawaitedSuite } from './unawaited-suite';

/* Un-awaited calls that fail: the span ends ERROR, and the process sees the same rejections as with the SDK alone. */

for (const sdk of STAINLESS_SDKS) describe(`un-awaited calls: ${sdk.label}`, () => {
  const suite = useUnawaitedSuite(sdk);
  const { tracing } = suite;

  describe('failures: the process sees what it sees without us', () => {
    const rejectionsOf = (traced: boolean, scenario: (log: RejectionLog) => Promise<void>) => rejectionsWith(suite.instrumentation, traced, scenario);

    /** A failing call, never awaited, or awaited once its rejection was reported as unhandled. */
    const failingCall = (late: boolean) => async (log: RejectionLog) => {
      const promise = sdk.create(suite.client);
      await waitFor(() => log.events.length >= 1, 'the unhandled rejection');
      if (!late) return;
      const caught = await promise.then(() => undefined, (err: unknown) => err);
      expect((caught as Error).constructor.name).to.equal('RateLimitError');
      await waitFor(() => log.events.length >= 2, 'rejectionHandled');
    };

    it('HTTP 400 never awaited: the span ends ERROR; the same one unhandled rejection as the SDK alone', async () => {
      suite.server.reply({ status: 400, json: { error: { message: 'bad model', type: 'invalid_request_error' } } });
      const plain = await rejectionsOf(false, failingCall(false));
      expect(llmSpans(await tracing.spans())).to.have.length(0);
      expect(plain).to.deep.equal(['unhandled BadRequestError']);
      expect(await rejectionsOf(true, failingCall(false))).to.deep.equal(plain);
      const spans = llmSpans(await tracing.spans());
      expect(spans).to.have.length(1);
      expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
      expect(spans[0].attributes['error.type']).to.equal('BadRequestError');
      expect(suite.server.requests).to.have.length(2);
    });

    it('HTTP 200 with a body that is not JSON, never awaited: no rejection at all, as the SDK alone; the span ends ERROR', async () => {
      suite.server.reply({ raw: '{"id": "cut off', contentType: 'application/json' });
      const plain = await rejectionsOf(false, async () => {
        sdk.create(suite.client);
        await waitFor(() => suite.server.requests.length === 1, 'the request');
      });
      expect(plain).to.deep.equal([]);
      const traced = await rejectionsOf(true, async () => {
        sdk.create(suite.client);
        await waitFor(async () => llmSpans(await tracing.spans()).length > 0, 'the LLM span');
      });
      expect(traced).to.deep.equal(plain);
      const spans = llmSpans(await tracing.spans());
      expect(spans).to.have.length(1);
      expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
      expect(spans[0].attributes['error.type']).to.equal('SyntaxError');
    });

    it('disable() while the request is out, then awaited and handled: no unhandled rejection (the SDK alone has none)', async () => {
      let answer!: () => void;
      const answered = new Promise<void>((resolve) => (answer = resolve));
      suite.server.handle(async () => {
        await answered;
        return { status: 400, json: { error: { message: 'bad model', type: 'invalid_request_error' } } };
      });
      const log = new RejectionLog().install();
      try {
        const promise = sdk.create(suite.client);
        await waitFor(() => suite.server.requests.length === 1, 'the request');
        suite.instrumentation.disable();
        const caught = promise.then(() => undefined, (err: unknown) => err);
        answer();
        expect((await caught as Error).constructor.name).to.equal('BadRequestError');
        await settle();
        expect(log.events).to.deep.equal([]);
      } finally {
        log.restore();
        suite.instrumentation.enable();
      }
      const spans = llmSpans(await tracing.spans());
      expect(spans.map((s) => [s.status.code, s.attributes['error.type']])).to.deep.equal([[SpanStatusCode.ERROR, 'BadRequestError']]);
    });

    it('HTTP 429 awaited after the rejection was reported: ERROR span; unhandled then handled, as the SDK alone', async () => {
      suite.server.reply({ status: 429, json: { error: { message: 'slow down', type: 'rate_limit_error' } } });
      const plain = await rejectionsOf(false, failingCall(true));
      expect(plain).to.deep.equal(['unhandled RateLimitError', 'handled']);
      expect(llmSpans(await tracing.spans())).to.have.length(0);
      expect(await rejectionsOf(true, failingCall(true))).to.deep.equal(plain);
      const spans = llmSpans(await tracing.spans());
      expect(spans).to.have.length(1);
      expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
      expect(spans[0].attributes['error.type']).to.equal('RateLimitError');
    });
  });
});
