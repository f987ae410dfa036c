import { expect } from 'chai';
import { SpanStatusCode, trace as otelTrace } from '@opentelemetry/api';
import { trace } from '../../lib/helpers/trace';
import { createTracing } from '../helpers/tracing';

/** `trace()` (lib/helpers/trace.ts); test/helpers is the test harness, so the helpers' tests live in test/api. */
describe('trace()', () => {
  const tracing = createTracing();
  const tracer = tracing.provider.getTracer('app');
  beforeEach(() => tracing.reset());

  it('runs a sync function in an active CHAIN span, sync, with this, input and output', async () => {
    let active: ReturnType<typeof otelTrace.getActiveSpan>;
    const counter = {
      base: 10,
      add: trace('add', function (this: { base: number }, n: number) {
        active = otelTrace.getActiveSpan();
        return { sum: this.base + n };
      }, { tracer }),
    };
    const result = counter.add(5);
    expect(result).not.to.be.instanceOf(Promise);
    expect(result.sum).to.equal(15);
    const [span] = await tracing.spans();
    expect(active?.spanContext().spanId).to.equal(span.spanContext().spanId);
    expect(span.name).to.equal('add');
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes['openinference.span.kind']).to.equal('CHAIN');
    expect(span.attributes['input.value']).to.equal('5');
    expect(span.attributes['input.mime_type']).to.equal('application/json');
    expect(span.attributes['output.value']).to.equal('{"sum":15}');
  });

  it('an async function returns a native promise that settles as its own; string in/out is text/plain; options.kind', async () => {
    // A follower, not the function's own promise: a failure the app never handles must stay unhandled
    // (test/instrumentation/unhandled-rejections.test.ts).
    let inner: Promise<string> | undefined;
    const research = trace('Research Task', (query: string) => (inner = Promise.resolve(`about ${query}`)), { kind: 'AGENT', tracer });
    const returned = research('AI');
    expect(Object.getPrototypeOf(returned)).to.equal(Promise.prototype);
    expect(returned).to.not.equal(inner);
    expect(await returned).to.equal('about AI');
    const [span] = await tracing.spans();
    expect(span.attributes).to.deep.equal({
      'openinference.span.kind': 'AGENT',
      'input.value': 'AI',
      'input.mime_type': 'text/plain',
      'output.value': 'about AI',
      'output.mime_type': 'text/plain',
    });
  });

  it('several arguments are one JSON array; no arguments, no input', async () => {
    trace('pair', (a: number, b: string) => a + b.length, { tracer })(1, 'xy');
    trace('none', () => undefined, { tracer })();
    const [pair, none] = await tracing.spans();
    expect(pair.attributes['input.value']).to.equal('[1,"xy"]');
    expect(pair.attributes['output.value']).to.equal('3');
    expect(none.attributes).to.deep.equal({ 'openinference.span.kind': 'CHAIN' });
  });

  it('a sync throw and an async rejection set ERROR and reach the caller unchanged', async () => {
    const boom = new TypeError('boom');
    expect(() => trace('sync', () => { throw boom; }, { tracer })()).to.throw(boom);
    let caught: unknown;
    try {
      await trace('async', async () => { throw boom; }, { tracer })();
    } catch (err) {
      caught = err;
    }
    expect(caught).to.equal(boom);
    const spans = await tracing.spans();
    expect(spans.map((s) => [s.name, s.status])).to.deep.equal([
      ['sync', { code: SpanStatusCode.ERROR, message: 'boom' }],
      ['async', { code: SpanStatusCode.ERROR, message: 'boom' }],
    ]);
    expect(spans[0].events.map((e) => e.name)).to.deep.equal(['exception']);
  });

  it('nests: spans started inside are its children, across await', async () => {
    const child = trace('child', async () => 1, { tracer });
    await trace('parent', async () => {
      await new Promise((r) => setTimeout(r, 1));
      return child();
    }, { tracer })();
    const [c, p] = await tracing.spans();
    expect(c.parentSpanContext?.spanId).to.equal(p.spanContext().spanId);
  });

  it('masks input and output per the environment (INFINIUM_CAPTURE_CONTENT=false)', async () => {
    process.env.INFINIUM_CAPTURE_CONTENT = 'false';
    try {
      trace('secret', (s: string) => s.toUpperCase(), { tracer })('my secret');
    } finally {
      delete process.env.INFINIUM_CAPTURE_CONTENT;
    }
    const [span] = await tracing.spans();
    expect(span.attributes['input.value']).to.equal('__REDACTED__');
    expect(span.attributes['output.value']).to.equal('__REDACTED__');
  });

  it('a result that cannot be looked at (a revoked Proxy, a throwing `then` getter) is returned as it is, and its span ends OK', async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const hostile = {
      get then(): unknown {
        throw new Error('no then here');
      },
    };
    expect(trace('revoked', () => proxy, { tracer })()).to.equal(proxy);
    expect(trace('then getter', () => hostile, { tracer })()).to.equal(hostile);
    const spans = await tracing.spans();
    expect(spans.map((s) => [s.name, s.status.code, s.ended])).to.deep.equal([
      ['revoked', SpanStatusCode.OK, true],
      ['then getter', SpanStatusCode.OK, true],
    ]);
  });

  it('uses the global provider by default (a no-op without one) and still runs fn', () => {
    expect(trace('plain', (x: number) => x * 2)(21)).to.equal(42);
  });
});
