import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import * as aiV5 from 'ai-v5';
import * as aiV6 from 'ai-v6';
import { createOpenAI as createOpenAIV2 } from 'ai-sdk-openai-v2';
import { createOpenAI as createOpenAIV3 } from 'ai-sdk-openai-v3';
import { InfiniumSpanProcessor, InfiniumSpanProcessorOptions } from '../../lib/processor/span-processor';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, secretsIn, secretsSeen, TEST_API_KEYS } from '../helpers/tracing';
import { chatCompletion } from '../providers/openai/fixtures';
import { otlpBytes } from './sizes-helpers';

/**
 * A root-level hook: it runs once, after every spec file of the mocha run, and fails the run if any span
 * that went through a `createTracing()` pipeline carried one of the tests' API keys.
 */
after('no exported span carried a test API key', () => {
  expect(secretsSeen(), `API keys found on spans (keys: ${TEST_API_KEYS.join(', ')})`).to.deep.equal([]);
});

describe('no-secrets guard', () => {
  const clean = { name: 'chat gpt-4o-mini', attributes: { 'llm.provider': 'openai' }, events: [], status: { code: SpanStatusCode.OK }, links: [] };

  it('finds a key in attributes, event attributes and the status message, and nothing in a clean span', () => {
    expect(secretsIn(clean)).to.deep.equal([]);
    expect(secretsIn({ ...clean, attributes: { 'http.request.header.authorization': 'Bearer sk-ant-test-secret-123' } })).to.deep.equal([
      'sk-ant-test-secret-123',
    ]);
    expect(
      secretsIn({ ...clean, events: [{ name: 'exception', attributes: { 'exception.message': 'bad key test-key-AIzaSyFAKE-000' }, time: [0, 0], droppedAttributesCount: 0 }] }),
    ).to.deep.equal(['test-key-AIzaSyFAKE-000']);
    expect(secretsIn({ ...clean, status: { code: SpanStatusCode.ERROR, message: 'Incorrect API key provided: sk-test-secret-123' } })).to.deep.equal([
      'sk-test-secret-123',
      'sk-test',
    ]);
  });
});

/**
 * Issue 30 defect 8: no credential leaves on any library's span, whatever the masking settings. The AI SDK
 * copies a call's `headers` into `ai.request.headers.*`; an HTTP instrumentation may record request headers.
 */
describe('no credential on any span through the processor', () => {
  const KEY = 'sk-ant-test-secret-123';
  const MAJORS = [
    { name: 'ai 5', ai: aiV5 as unknown as typeof aiV6, createOpenAI: createOpenAIV2 as unknown as typeof createOpenAIV3 },
    { name: 'ai 6', ai: aiV6, createOpenAI: createOpenAIV3 },
  ];
  let server: FakeLlmServer;
  before(async () => {
    server = await startFakeLlmServer();
    server.handle(() => ({ json: chatCompletion() }));
  });
  after(() => server.stop());

  for (const major of MAJORS) {
    for (const options of [{}, { captureContent: false }] as InfiniumSpanProcessorOptions[]) {
      it(`${major.name} generateText with per-call Authorization and x-api-key headers (${JSON.stringify(options)}): both redacted`, async () => {
        const tracing = createTracing([new InfiniumSpanProcessor(options)]);
        const openai = major.createOpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1` });
        const result = await major.ai.generateText({
          model: openai.chat('gpt-4o-mini'),
          prompt: 'Hi',
          headers: { Authorization: `Bearer ${KEY}`, 'x-api-key': KEY, 'x-request-tag': 'nightly' },
          experimental_telemetry: { isEnabled: true, tracer: tracing.provider.getTracer('ai') },
        });
        expect(result.text).to.equal('Hello there!');
        // The SDK sent the app's headers as they were.
        expect(server.requests.at(-1)!.headers['authorization']).to.equal(`Bearer ${KEY}`);
        const spans = await tracing.spans();
        expect(spans.map((s) => s.name).sort()).to.deep.equal(['ai.generateText', 'ai.generateText.doGenerate']);
        for (const span of spans) {
          expect(span.attributes['ai.request.headers.authorization'], span.name).to.equal('__REDACTED__');
          expect(span.attributes['ai.request.headers.x-api-key'], span.name).to.equal('__REDACTED__');
          expect(span.attributes['ai.request.headers.x-request-tag'], span.name).to.equal('nightly');
          expect(secretsIn(span), span.name).to.deep.equal([]);
        }
      });
    }
  }

  it("another library's HTTP span: credential headers redacted in any casing, other headers kept, nothing else touched", async () => {
    const tracing = createTracing([new InfiniumSpanProcessor()]);
    const attributes = {
      'http.request.method': 'POST',
      'http.request.header.authorization': [`Bearer ${KEY}`],
      'http.request.header.X-Api-Key': [KEY],
      'http.request.header.api_key': KEY,
      'http.request.header.x-goog-api-key': ['test-key-AIzaSyFAKE-000'],
      'http.request.header.content-type': ['application/json'],
      'db.query.text': 'x'.repeat(40_000),
    };
    tracing.provider.getTracer('@opentelemetry/instrumentation-undici').startSpan('POST', { attributes }).end();
    const [span] = await tracing.spans();
    expect(span.attributes['http.request.header.authorization']).to.equal('__REDACTED__');
    expect(span.attributes['http.request.header.X-Api-Key']).to.equal('__REDACTED__');
    expect(span.attributes['http.request.header.api_key']).to.equal('__REDACTED__');
    expect(span.attributes['http.request.header.x-goog-api-key']).to.equal('__REDACTED__');
    expect(span.attributes['http.request.header.content-type']).to.deep.equal(['application/json']);
    // With nothing hidden, a span that is not an AI span keeps its long text as it was.
    expect(span.attributes['db.query.text']).to.equal(attributes['db.query.text']);
    expect(secretsIn(span)).to.deep.equal([]);
  });

  it("another library's error: its status message and exception event are capped, and keys in them redacted", async () => {
    const tracing = createTracing([new InfiniumSpanProcessor()]);
    const body = `{"error":"invalid key ${KEY}, sent as Bearer ${KEY}"}` + 'x'.repeat(5_000_000);
    const span = tracing.provider.getTracer('other-llm-library').startSpan('chat');
    span.recordException(Object.assign(new Error(`401 ${body}`), { name: 'AuthenticationError' }));
    span.setStatus({ code: SpanStatusCode.ERROR, message: `401 ${body}` });
    span.end();
    const [ended] = await tracing.spans();
    const head = '401 {"error":"invalid key __REDACTED__, sent as Bearer __REDACTED__"}';
    expect(ended.status.message).to.match(new RegExp(`^${head.replace(/[{}]/g, '\\$&')}x+…\\[truncated: ${4 + body.length} chars\\]$`));
    expect(ended.status.message!.length).to.equal(32_000);
    const event = ended.events.find((e) => e.name === 'exception')!;
    expect(event.attributes!['exception.type']).to.equal('AuthenticationError');
    expect((event.attributes!['exception.message'] as string).length).to.equal(32_000);
    expect((event.attributes!['exception.stacktrace'] as string).length).to.equal(32_000);
    expect(otlpBytes([ended])).to.be.below(200_000);
    expect(secretsIn(ended)).to.deep.equal([]);
  });
});
