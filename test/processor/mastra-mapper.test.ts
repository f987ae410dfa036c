import { expect } from 'chai';
import type { Attributes } from '@opentelemetry/api';
import { mastraConversion } from '../../lib/processor/mastra-mapper';
import { genAiOtherAttributes } from '../../lib/processor/genai-mapper';
import { ofType as byType, recorded, type RecordedSpan, type Scenario } from './fixtures/mastra/recorded';

/**
 * The pure conversion of Mastra's spans, fed the spans @mastra/otel-bridge 1.5.4 emitted (Mastra 1.71 on
 * Node 22, recorded in fixtures/mastra/): each span's name, scope and attributes exactly as exported.
 */
const convert = (span: RecordedSpan) => mastraConversion({ name: span.name, attributes: span.attributes, instrumentationScope: span.instrumentationScope });

/** Each span's name and the kind it converts to (`-` for none), in the recorded (end) order. */
function kinds(scenario: Scenario): string[] {
  return recorded(scenario).map((s) => `${s.name} ${convert(s)?.kind ?? '-'}`);
}

/** The counts a usage holds (the readers leave the ones a provider did not report as undefined). */
const counts = (usage: object) => Object.fromEntries(Object.entries(usage).filter(([, n]) => n !== undefined));

/** An agent turn with one tool call, as the bridge ends its spans. */
const toolTurnKinds = (agent: string, scenario: Scenario) => [
  `model_chunk ${agent} CHAIN`,
  'execute_tool weatherTool -',
  `model_chunk ${agent} CHAIN`,
  `model_inference ${agent} CHAIN`,
  `model_step ${agent} LLM`,
  `model_chunk ${agent} CHAIN`,
  `model_inference ${agent} CHAIN`,
  `model_step ${agent} LLM`,
  'chat gpt-4o-mini CHAIN',
  `invoke_agent ${agent} AGENT`,
  `app ${scenario} -`,
];

describe('mastraConversion (pure, on the recorded @mastra/otel-bridge spans)', () => {
  it('an agent turn with one tool call: one LLM per request (2), the turn AGENT, the model loop and its parts CHAIN; the tool and the app span left alone', () => {
    for (const scenario of ['agent-generate', 'agent-stream'] as const) expect(kinds(scenario), scenario).to.deep.equal(toolTurnKinds('Weather Agent', scenario));
    expect(kinds('ai-sdk-provider-generate')).to.deep.equal(toolTurnKinds('AI SDK Agent', 'ai-sdk-provider-generate'));
  });

  it('the agent run: agent.name, the question as input, the answer text as output', () => {
    const agent = byType(recorded('agent-generate'), 'agent_run')[0];
    expect(convert(agent)).to.deep.equal({
      kind: 'AGENT',
      attributes: {
        'openinference.span.kind': 'AGENT',
        'agent.name': 'Weather Agent',
        'input.value': 'What is the weather in Paris?',
        'input.mime_type': 'text/plain',
        'output.value': 'It is 21°C and sunny in Paris.',
        'output.mime_type': 'text/plain',
      },
    });
  });

  it('a non-streamed step: the request\'s own model, id, finish reason and exact usage (cached and reasoning) from its response body', () => {
    const [first, second] = byType(recorded('agent-generate'), 'model_step').map(convert) as { kind: string; record: any }[];
    expect(first.kind).to.equal('LLM');
    expect(first.record).to.deep.include({
      kind: 'LLM',
      operation: 'chat',
      provider: 'openai',
      system: 'openai',
      requestModel: 'gpt-4o-mini',
      responseModel: 'gpt-4o-mini-2024-07-18',
      responseId: 'chatcmpl-1',
      finishReason: 'tool_calls',
    });
    expect(counts(first.record.usage)).to.deep.equal({ prompt: 52, completion: 17, total: 69, cacheRead: 16, reasoning: 5 });
    expect(first.record.inputMessages).to.deep.equal([
      { role: 'system', content: 'You answer weather questions briefly. Use the weather tool.' },
      { role: 'user', content: 'What is the weather in Paris?' },
    ]);
    expect(first.record.outputMessages).to.deep.equal([
      { role: 'assistant', toolCalls: [{ id: 'call_weather_1', name: 'weatherTool', arguments: '{"city":"Paris"}' }] },
    ]);
    expect(second.record).to.deep.include({ responseId: 'chatcmpl-2', finishReason: 'stop' });
    expect(counts(second.record.usage)).to.deep.equal({ prompt: 88, completion: 9, total: 97, cacheRead: 32, reasoning: 0 });
    expect(second.record.inputMessages.map((m: { role: string }) => m.role)).to.deep.equal(['system', 'user', 'assistant', 'tool']);
    expect(second.record.outputMessages).to.deep.equal([{ role: 'assistant', content: 'It is 21°C and sunny in Paris.' }]);
  });

  it('the steps\' usage adds up to what Mastra wrote on its generation span (the reason the generation is not the LLM span)', () => {
    const spans = recorded('agent-generate');
    const steps = byType(spans, 'model_step').map((s) => (convert(s) as { record: any }).record.usage);
    const generation = byType(spans, 'model_generation')[0].attributes;
    expect(steps[0].prompt + steps[1].prompt).to.equal(generation['gen_ai.usage.input_tokens']);
    expect(steps[0].completion + steps[1].completion).to.equal(generation['gen_ai.usage.output_tokens']);
    expect(steps[0].cacheRead + steps[1].cacheRead).to.equal(generation['gen_ai.usage.cache_read.input_tokens']);
  });

  it('a streamed step: messages and model, but no usage (the bridge exports none for a step without a response body)', () => {
    const [first, second] = byType(recorded('agent-stream'), 'model_step').map(convert) as { record: any }[];
    expect(first.record).to.deep.include({ provider: 'openai', requestModel: 'gpt-4o-mini' });
    expect(first.record.responseModel).to.equal(undefined);
    expect(first.record.usage).to.deep.equal({});
    expect(first.record.outputMessages[0].toolCalls).to.deep.equal([{ id: 'call_weather_1', name: 'weatherTool', arguments: '{"city":"Paris"}' }]);
    expect(second.record.outputMessages).to.deep.equal([{ role: 'assistant', content: 'It is 21°C and sunny in Paris.' }]);
  });

  it('an AI SDK provider instance (`openai.chat`) is provider openai', () => {
    const [first] = byType(recorded('ai-sdk-provider-generate'), 'model_step').map(convert) as { record: any }[];
    expect(first.record).to.deep.include({ provider: 'openai', system: 'openai', requestModel: 'gpt-4o-mini', responseId: 'chatcmpl-5' });
    expect(first.record.usage).to.include({ prompt: 52, completion: 17 });
  });

  it('the model loop (generation) is a CHAIN with the turn\'s messages in and its final text out', () => {
    const generation = byType(recorded('agent-stream'), 'model_generation')[0];
    const conversion = convert(generation) as { kind: string; attributes: Attributes };
    expect(conversion.kind).to.equal('CHAIN');
    expect(conversion.attributes).to.deep.equal({
      'openinference.span.kind': 'CHAIN',
      'input.value': generation.attributes['gen_ai.input.messages'] as string,
      'input.mime_type': 'application/json',
      'output.value': 'It is 21°C and sunny in Paris.',
      'output.mime_type': 'text/plain',
    });
  });

  it('a tool call, failing or not, is left to the GenAI table, which makes it a TOOL with its name, arguments and result', () => {
    for (const scenario of ['agent-generate', 'agent-tool-error'] as const) {
      const tool = byType(recorded(scenario), 'tool_call')[0];
      expect(convert(tool)).to.equal(undefined);
      expect(genAiOtherAttributes(tool.attributes, 'TOOL')).to.include({ 'openinference.span.kind': 'TOOL', 'input.value': '{"city":"Paris"}' });
    }
    const failed = byType(recorded('agent-tool-error'), 'tool_call')[0];
    expect(failed.status).to.deep.equal({ code: 2, message: 'weather backend unavailable' });
    expect(genAiOtherAttributes(failed.attributes, 'TOOL')['tool.name']).to.equal('brokenTool');
  });

  it('a workflow run and its two steps are CHAINs with their input and output', () => {
    const spans = recorded('workflow');
    expect(spans.map((s) => `${s.name} ${convert(s)?.kind ?? '-'}`)).to.deep.equal([
      'workflow_step weather-workflow CHAIN',
      'workflow_step weather-workflow CHAIN',
      'invoke_workflow weather-workflow CHAIN',
      'app workflow -',
    ]);
    expect((convert(spans[2]) as { attributes: Attributes }).attributes).to.deep.equal({
      'openinference.span.kind': 'CHAIN',
      'input.value': '{"city":"Paris"}',
      'input.mime_type': 'application/json',
      'output.value': '{"report":"Paris: 21°C"}',
      'output.mime_type': 'application/json',
    });
    expect((convert(spans[1]) as { attributes: Attributes }).attributes['output.value']).to.equal('{"report":"Paris: 21°C"}');
  });

  it('knows Mastra\'s spans by the bridge\'s scope and mastra.span.type only', () => {
    const step = byType(recorded('agent-generate'), 'model_step')[0];
    expect(mastraConversion({ name: step.name, attributes: step.attributes, instrumentationScope: { name: 'some-other-library' } })).to.equal(undefined);
    const { ['mastra.span.type']: _type, ...untyped } = step.attributes;
    expect(mastraConversion({ name: step.name, attributes: untyped, instrumentationScope: step.instrumentationScope })).to.equal(undefined);
  });

  it('malformed values give a record with what could be read, never a throw', () => {
    const attributes: Attributes = {
      'mastra.span.type': 'model_step',
      'mastra.model_step.input': '{not json',
      'mastra.model_step.output': '[1,2]',
      'mastra.metadata.body': '{"usage":{"prompt_tokens":-3,"completion_tokens":"x"},"choices":"no"}',
      'mastra.metadata.modelMetadata': '42',
    };
    const conversion = mastraConversion({ name: 'model_step x', attributes, instrumentationScope: { name: '@mastra/otel-bridge' } }) as { kind: string; record: any };
    expect(conversion.kind).to.equal('LLM');
    expect(conversion.record).to.deep.include({ provider: 'unknown', inputMessages: [], outputMessages: [] });
    expect(conversion.record.usage).to.deep.equal({});
  });
});
