import { expect } from 'chai';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { useProviderSuite } from '../../helpers/provider-suite';
import { createTracing, llmSpans } from '../../helpers/tracing';
import type { FakeBedrock } from './fake-bedrock';
import { BedrockSdk, bedrockClient, startBedrock, stopBedrock, converseResponse, converseStreamEvents, NOVA } from './fixtures';

const AWS_SCOPE = '@opentelemetry/instrumentation-aws-sdk';
const REQUEST = { modelId: NOVA, system: [{ text: 'Be brief.' }], messages: [{ role: 'user' as const, content: [{ text: 'Hi' }] }] };

function openInferenceSpans(spans: ReadableSpan[]): ReadableSpan[] {
  return spans.filter((s) => s.attributes['openinference.span.kind'] !== undefined);
}

describe('bedrock with the span processor: roll-up, masking, instrumentation-aws-sdk, disable', () => {
  const tracing = createTracing([new InfiniumSpanProcessor({ serviceName: 'svc' })]);
  let instrumentation: InfiniumInstrumentation;
  let server: FakeBedrock;
  let sdk: BedrockSdk;
  let client: ReturnType<typeof bedrockClient>;

  useProviderSuite(async (i) => ({ instrumentation, sdk, server, client } = await startBedrock(i)), {
    tracing,
    tearDown: async (parts) => {
      parts.instrumentation.setConfig({});
      await stopBedrock(parts);
    },
  });

  const converse = async (): Promise<void> => {
    await client.send(new sdk.ConverseCommand(REQUEST));
  };
  const converseStream = async () => {
    const output = await client.send(new sdk.ConverseStreamCommand(REQUEST));
    for await (const _ of output.stream!) void _;
  };

  it('the root counts each call, failed ones included', async () => {
    await tracing.inParent('agent', async () => {
      server.answer({ json: converseResponse() });
      await converse();
      server.answer({ events: converseStreamEvents() });
      await converseStream();
      server.answer({ status: 400, json: { message: 'bad' }, errorType: 'ValidationException' });
      await converse().catch(() => undefined);
    });
    const spans = await tracing.spans();
    expect(llmSpans(spans)).to.have.length(3);
    expect(spans.find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(3);
  });

  it('masking: captureContent false redacts messages and tool arguments, keeps counts', async () => {
    instrumentation.setConfig({ captureContent: false });
    try {
      server.answer({ json: converseResponse() });
      await converse();
    } finally {
      instrumentation.setConfig({});
    }
    const a = llmSpans(await tracing.spans())[0].attributes;
    expect(a).to.deep.include({
      'llm.input_messages.0.message.content': '__REDACTED__',
      'llm.input_messages.1.message.content': '__REDACTED__',
      'llm.output_messages.0.message.content': '__REDACTED__',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '__REDACTED__',
      'input.value': '__REDACTED__',
      'output.value': '__REDACTED__',
      'llm.token_count.prompt': 112,
    });
  });

  it('disable() removes the wrapper (send is inherited again) and enable() brings it back', async () => {
    const proto = sdk.BedrockRuntimeClient.prototype;
    expect(Object.hasOwn(proto, 'send')).to.equal(true);
    instrumentation.disable();
    try {
      expect(Object.hasOwn(proto, 'send')).to.equal(false);
      server.answer({ json: converseResponse() });
      await converse();
      expect(llmSpans(await tracing.spans())).to.deep.equal([]);
    } finally {
      instrumentation.enable();
    }
    expect(Object.hasOwn(proto, 'send')).to.equal(true);
    await converse();
    expect(llmSpans(await tracing.spans())).to.have.length(1);
  });

  describe('with @opentelemetry/instrumentation-aws-sdk (its own gen_ai span per Bedrock call)', () => {
    let aws: AwsInstrumentation;
    before(() => {
      aws = new AwsInstrumentation({ enabled: false });
      aws.setTracerProvider(tracing.provider);
      aws.enable();
      // The SDK was loaded by an earlier suite: requiring its Smithy client file again lets the hook patch it.
      require('@smithy/core/client');
      // As in an app, where loading the Bedrock client loads (and their hook patches) the shared Smithy
      // `Client` before our hook patches the Bedrock client: re-apply ours after theirs.
      instrumentation.disable();
      instrumentation.enable();
    });
    after(() => aws.disable());

    for (const [name, call] of [['Converse', converse], ['ConverseStream', converseStream]] as const) {
      it(`${name}: one OpenInference LLM span, the aws-sdk span its child, counted once`, async () => {
        server.answer(name === 'Converse' ? { json: converseResponse() } : { events: converseStreamEvents() });
        await tracing.inParent('agent', () => call());
        const spans = await tracing.spans();
        const [ours] = llmSpans(spans);
        const theirs = spans.filter((s) => s.instrumentationScope.name === AWS_SCOPE);
        expect(theirs.map((s) => [s.name, s.attributes['gen_ai.operation.name']])).to.deep.equal([[`chat ${NOVA}`, 'chat']]);
        expect(theirs[0].parentSpanContext?.spanId).to.equal(ours.spanContext().spanId);
        expect(openInferenceSpans(spans)).to.deep.equal([ours]);
        expect(spans.find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(1);
      });
    }
  });
});
