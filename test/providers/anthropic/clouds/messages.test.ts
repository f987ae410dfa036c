import { expect } from 'chai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { llmSpans, onlyChildSpan } from '../../../helpers/tracing';
import { pick } from '../client';
import { apiError, BRIEF_HI_INPUT, HELLO_OUTPUT, MESSAGE_TOKENS, textStream, toolUseMessage } from '../fixtures';
import { CLOUDS, onlyErrorSpan, sdkSpansOf, useCloudSuite } from './clouds';
import { AWS_KEYS } from './fake-clouds';
import { RESPONSE_MODEL } from './fixtures';

const REDACTED = '__REDACTED__';

for (const cloud of CLOUDS) {
  describe(`anthropic on ${cloud.name}: messages.create`, () => {
    const suite = useCloudSuite(cloud);
    const { tracing } = suite;
    const request = () => ({
      model: cloud.requestModel,
      max_tokens: 1024,
      temperature: 0.3,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
    });

    it(`one LLM span: llm.system anthropic, llm.provider ${cloud.provider}, messages, exact tokens, parameters`, async () => {
      suite.server.reply({ json: cloud.message() });
      const result: any = await tracing.inParent('agent', () => suite.client.messages.create(request()));
      expect(result.content).to.deep.equal([{ type: 'text', text: 'Hello there!' }]);
      expect(suite.server.requests.at(-1)!.path).to.match(cloud.pathPattern);
      const span = await onlyChildSpan(tracing, `chat ${cloud.requestModel}`);
      const a = span.attributes;
      expect([a['openinference.span.kind'], a['llm.system'], a['llm.provider']]).to.deep.equal(['LLM', 'anthropic', cloud.provider]);
      expect([a['llm.model_name'], a['llm.model']]).to.deep.equal([RESPONSE_MODEL, RESPONSE_MODEL]);
      expect(pick(a, 'llm.input_messages.')).to.deep.equal(BRIEF_HI_INPUT);
      expect(pick(a, 'llm.output_messages.')).to.deep.equal(HELLO_OUTPUT);
      expect(pick(a, 'llm.token_count.')).to.deep.equal(MESSAGE_TOKENS);
      expect([a['llm.prompt_tokens'], a['llm.completion_tokens']]).to.deep.equal([312, 9]);
      expect(JSON.parse(a['llm.invocation_parameters'] as string)).to.deep.equal({ model: cloud.requestModel, max_tokens: 1024, temperature: 0.3 });
      expect([a['llm.temperature'], a['llm.finish_reason'], a['error.type']]).to.deep.equal([0.3, 'end_turn', undefined]);
      expect(a['llm.latency_ms']).to.be.a('number').and.greaterThan(0);
      // The SDK's own span is one, and our span's child.
      const sdkSpans = sdkSpansOf(cloud, await tracing.spans());
      expect(sdkSpans.map((s) => [s.kind, s.parentSpanContext?.spanId])).to.deep.equal([[SpanKind.CLIENT, span.spanContext().spanId]]);
      // No credential anywhere: the Google token, the AWS keys, the SigV4 signature's header.
      const exported = JSON.stringify((await tracing.spans()).map((s) => [s.attributes, s.events]));
      for (const secret of ['ya29.test-vertex-token', AWS_KEYS.awsAccessKey, AWS_KEYS.awsSecretKey, 'Signature=', 'authorization']) expect(exported).not.to.contain(secret);
    });

    it('tool calls and thinking in the output; tools offered in llm.tools', async () => {
      suite.server.reply({ json: cloud.message(toolUseMessage()) });
      const tool = { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } };
      await suite.client.messages.create({ model: cloud.requestModel, max_tokens: 64, tools: [tool], messages: [{ role: 'user', content: 'Paris?' }] });
      const [span, ...others] = llmSpans(await tracing.spans());
      expect(others).to.have.length(0);
      const a = span.attributes;
      expect(JSON.parse(a['llm.tools.0.tool.json_schema'] as string)).to.deep.equal(tool);
      expect(pick(a, 'llm.output_messages.0.message.tool_calls.')).to.deep.equal({
        'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'toolu_01A',
        'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
        'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
      });
      expect([a['llm.finish_reason'], a['llm.token_count.prompt'], a['llm.token_count.completion']]).to.deep.equal(['tool_use', 40, 25]);
    });

    it('.withResponse() keeps working (the copy of the SDK the cloud client uses has its APIPromise patched too)', async () => {
      suite.server.reply({ json: cloud.message() });
      const { data, response } = await suite.client.messages.create(request()).withResponse();
      expect([data.id, response.status]).to.deep.equal([cloud.message().id, 200]);
      const [span, ...others] = llmSpans(await tracing.spans());
      expect(others).to.have.length(0);
      expect([span.status.code, span.attributes['llm.output_messages.0.message.content']]).to.deep.equal([SpanStatusCode.OK, 'Hello there!']);
    });

    it('beta.messages.create: one span, the same provider', async () => {
      suite.server.reply({ json: cloud.message() });
      await suite.client.beta.messages.create({ ...request(), betas: ['context-1m-2025-08-07'] });
      const spans = llmSpans(await tracing.spans());
      expect(spans.map((s) => [s.attributes['llm.provider'], s.attributes['llm.system'], s.attributes['llm.token_count.prompt']])).to.deep.equal([
        [cloud.provider, 'anthropic', 312],
      ]);
    });

    it('an HTTP 429 ends the span as ERROR with the SDK error the app gets, unchanged', async () => {
      suite.server.reply({ status: 429, json: apiError('rate_limit_error', 'slow down') });
      let caught: unknown;
      await suite.client.messages.create(request()).catch((err: unknown) => (caught = err));
      const span = await onlyErrorSpan(tracing, caught, 'RateLimitError');
      expect(span.attributes['llm.input_messages.1.message.content']).to.equal('Hi');
    });

    it('hideInputs and hideOutputs: content redacted, tokens kept', async () => {
      suite.instrumentation.setConfig({ hideInputs: true, hideOutputs: true });
      suite.server.reply({ json: cloud.message() });
      await suite.client.messages.create(request());
      const [span] = llmSpans(await tracing.spans());
      const a = span.attributes;
      expect([a['input.value'], a['output.value']]).to.deep.equal([REDACTED, REDACTED]);
      expect(Object.keys(a).filter((k) => k.startsWith('llm.input_messages.') || k.startsWith('llm.output_messages.'))).to.deep.equal([]);
      expect(JSON.stringify(a)).not.to.contain('Hello there!');
      expect([a['llm.token_count.prompt'], a['llm.provider']]).to.deep.equal([312, cloud.provider]);
    });
  });
}

/**
 * The GenAI conventions name the cloud as the registry does (Claude on Vertex is not Gemini), and the
 * endpoint called, the same for `create()` and the `stream()` helper, which starts its span itself.
 */
describe('anthropic on the clouds: gen_ai.provider.name and server.address', () => {
  for (const [cloud, name] of [[CLOUDS[0], 'gcp.vertex_ai'], [CLOUDS[1], 'aws.bedrock']] as const) {
    describe(cloud.name, () => {
      const suite = useCloudSuite(cloud);
      const ask = { model: cloud.requestModel, max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] };
      const calls: Record<string, () => Promise<unknown>> = {
        'messages.stream()': () => {
          cloud.answerStream(suite.server, textStream());
          return suite.client.messages.stream(ask).finalMessage();
        },
        'messages.create()': () => {
          suite.server.reply({ json: cloud.message() });
          return suite.client.messages.create(ask);
        },
      };
      for (const [method, call] of Object.entries(calls)) {
        it(`${method}: ${name} whatever the base URL, and the fake's address and port`, async () => {
          suite.instrumentation.setConfig({ semconv: 'openinference,gen_ai' });
          await call();
          const [span] = llmSpans(await suite.tracing.spans());
          const { hostname, port } = new URL(suite.server.origin);
          expect(pick(span.attributes, 'server.')).to.deep.equal({ 'server.address': hostname, 'server.port': Number(port) });
          expect([span.attributes['gen_ai.provider.name'], span.attributes['llm.provider'], span.attributes['llm.system']]).to.deep.equal([name, cloud.provider, 'anthropic']);
        });
      }
    });
  }
});
