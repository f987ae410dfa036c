import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { InfiniumSpanProcessorOptions } from '../../lib/processor/span-processor';
import { one, spanTree } from '../providers/ai-sdk/helpers';
import { recorded, Scenario, throughProcessor } from './fixtures/mastra/recorded';

/**
 * Mastra's spans through a real InfiniumSpanProcessor: each recorded span replayed as the bridge makes it
 * (fixtures/mastra/recorded.ts, `replay`), so the processor sees what it sees in a Mastra app.
 */
const run = (scenario: Scenario, options: InfiniumSpanProcessorOptions = {}): Promise<ReadableSpan[]> => throughProcessor(recorded(scenario), options);

function restore(saved: ReadonlyArray<readonly [string, string | undefined]>): void {
  for (const [k, v] of saved) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
}

const kindOf = (spans: readonly ReadableSpan[], kind: string) => spans.filter((s) => s.attributes['openinference.span.kind'] === kind);

/** The OpenInference tree of one agent turn with one tool call (the model asked for the tool, then answered). */
const TOOL_TURN = (scenario: string, agent: string) =>
  [
    `app ${scenario}`,
    `  invoke_agent ${agent} [AGENT]`,
    '    chat gpt-4o-mini [CHAIN]',
    `      model_step ${agent} [LLM]`,
    `        model_inference ${agent} [CHAIN]`,
    `          model_chunk ${agent} [CHAIN]`,
    `          model_chunk ${agent} [CHAIN]`,
    '        execute_tool weatherTool [TOOL]',
    `      model_step ${agent} [LLM]`,
    `        model_inference ${agent} [CHAIN]`,
    `          model_chunk ${agent} [CHAIN]`,
  ].join('\n');

describe('Mastra spans (@mastra/otel-bridge) through the processor', () => {
  it('generate(): AGENT > CHAIN (model loop) > one LLM per request (2) with its own exact tokens; TOOL; the root counts 2 calls', async () => {
    const spans = await run('agent-generate');
    expect(spanTree(spans)).to.equal(TOOL_TURN('agent-generate', 'Weather Agent'));
    const [first, second] = kindOf(spans, 'LLM');
    expect(first.attributes).to.include({
      'llm.provider': 'openai',
      'llm.system': 'openai',
      'llm.model_name': 'gpt-4o-mini-2024-07-18',
      'llm.token_count.prompt': 52,
      'llm.token_count.completion': 17,
      'llm.token_count.total': 69,
      'llm.token_count.prompt_details.cache_read': 16,
      'llm.token_count.completion_details.reasoning': 5,
      'llm.finish_reason': 'tool_calls',
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.1.message.content': 'What is the weather in Paris?',
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'call_weather_1',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'weatherTool',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
    });
    expect(second.attributes).to.include({
      'llm.token_count.prompt': 88,
      'llm.token_count.completion': 9,
      'llm.token_count.total': 97,
      'llm.token_count.prompt_details.cache_read': 32,
      'llm.finish_reason': 'stop',
      'llm.output_messages.0.message.content': 'It is 21°C and sunny in Paris.',
    });
    expect(one(spans, 'invoke_agent Weather Agent').attributes).to.include({
      'agent.name': 'Weather Agent',
      'input.value': 'What is the weather in Paris?',
      'output.value': 'It is 21°C and sunny in Paris.',
    });
    expect(one(spans, 'execute_tool weatherTool').attributes).to.include({
      'tool.name': 'weatherTool',
      'input.value': '{"city":"Paris"}',
      'output.value': '{"city":"Paris","tempC":21,"sky":"sunny"}',
    });
    // The model loop is no second LLM span: no model call of its own, so no tokens of ours on it.
    expect(one(spans, 'chat gpt-4o-mini').attributes['llm.token_count.prompt']).to.equal(undefined);
    // Each request priced on its own tokens (gpt-4o-mini: 0.15 $/M prompt, 0.075 cached, 0.60 completion):
    // 36·0.15 + 16·0.075 + 17·0.60 = 16.8 µ$, then 56·0.15 + 32·0.075 + 9·0.60 = 16.2 µ$; the root adds them.
    expect([first, second].map((s) => s.attributes['llm.cost.total'])).to.deep.equal([0.0000168, 0.0000162]);
    expect(one(spans, 'chat gpt-4o-mini').attributes['llm.cost.total']).to.equal(undefined);
    expect(one(spans, 'app agent-generate').attributes).to.include({ 'infinium.llm_call_count': 2, 'infinium.cost_usd': 0.000033, 'infinium.unpriced_llm_call_count': 0 });
  });

  it('stream(): the same tree and 2 calls; the steps carry no tokens (the bridge exports no usage for a streamed step), the model loop the turn\'s', async () => {
    const spans = await run('agent-stream');
    expect(spanTree(spans)).to.equal(TOOL_TURN('agent-stream', 'Weather Agent'));
    expect(kindOf(spans, 'LLM').map((s) => [s.attributes['llm.model_name'], s.attributes['llm.token_count.prompt']])).to.deep.equal([
      ['gpt-4o-mini', undefined],
      ['gpt-4o-mini', undefined],
    ]);
    // The turn's usage, which Mastra wrote on its model loop only, goes there in OpenInference keys (once:
    // no request has its own) with its cost, which the root counts: the same 0.000033 as generate()'s.
    expect(one(spans, 'chat gpt-4o-mini').attributes).to.include({
      'llm.model_name': 'gpt-4o-mini-2024-07-18',
      'llm.token_count.prompt': 140,
      'llm.token_count.completion': 26,
      'llm.token_count.total': 166,
      'llm.token_count.prompt_details.cache_read': 48,
      'llm.token_count.completion_details.reasoning': 5,
      'llm.cost.total': 0.000033,
    });
    expect(one(spans, 'app agent-stream').attributes).to.include({ 'infinium.llm_call_count': 2, 'infinium.cost_usd': 0.000033, 'infinium.unpriced_llm_call_count': 0 });
  });

  it('an AI SDK provider instance as the model: provider openai, the same tree', async () => {
    const spans = await run('ai-sdk-provider-generate');
    expect(spanTree(spans)).to.equal(TOOL_TURN('ai-sdk-provider-generate', 'AI SDK Agent'));
    expect(kindOf(spans, 'LLM').map((s) => [s.attributes['llm.provider'], s.attributes['llm.token_count.prompt']])).to.deep.equal([
      ['openai', 52],
      ['openai', 88],
    ]);
  });

  it('a tool that throws: TOOL span ERROR with its exception event, the turn goes on to its second request', async () => {
    const spans = await run('agent-tool-error');
    const tool = one(spans, 'execute_tool brokenTool');
    expect(tool.attributes).to.include({ 'openinference.span.kind': 'TOOL', 'tool.name': 'brokenTool', 'input.value': '{"city":"Paris"}' });
    expect(tool.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'weather backend unavailable' });
    expect(tool.events.map((e) => [e.name, e.attributes?.['exception.message']])).to.deep.equal([['exception', 'weather backend unavailable']]);
    expect(kindOf(spans, 'LLM')).to.have.length(2);
  });

  it('a model request that fails (HTTP 404): one LLM span, the AGENT span ERROR with its exception event; the root counts the 1 request', async () => {
    const spans = await run('agent-model-error');
    expect(spanTree(spans)).to.equal(
      [
        'app agent-model-error',
        '  invoke_agent Failing Agent [AGENT]',
        '    chat gpt-4o-mini [CHAIN]',
        '      model_step Failing Agent [LLM]',
        '        model_inference Failing Agent [CHAIN]',
      ].join('\n'),
    );
    const agent = one(spans, 'invoke_agent Failing Agent');
    expect(agent.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'not found' });
    expect(agent.events.map((e) => [e.name, e.attributes?.['exception.message']])).to.deep.equal([['exception', 'not found']]);
    // Mastra ends the failed step OK with an empty output: the failure is told on the agent run only.
    const [step] = kindOf(spans, 'LLM');
    expect(step.attributes).to.include({ 'llm.model_name': 'gpt-4o-mini', 'llm.provider': 'openai' });
    expect(step.attributes['llm.token_count.prompt']).to.equal(undefined);
    expect(one(spans, 'app agent-model-error').attributes).to.include({ 'infinium.llm_call_count': 1 });
  });

  it('a two-step workflow: CHAIN > two CHAIN steps with their input and output; no call counted', async () => {
    const spans = await run('workflow');
    expect(spanTree(spans)).to.equal(
      ['app workflow', '  invoke_workflow weather-workflow [CHAIN]', '    workflow_step weather-workflow [CHAIN]', '    workflow_step weather-workflow [CHAIN]'].join('\n'),
    );
    expect(one(spans, 'invoke_workflow weather-workflow').attributes).to.include({ 'input.value': '{"city":"Paris"}', 'output.value': '{"report":"Paris: 21°C"}' });
    expect(kindOf(spans, 'CHAIN').slice(0, 2).map((s) => s.attributes['output.value'])).to.deep.equal(['{"city":"Paris","tempC":21}', '{"report":"Paris: 21°C"}']);
    expect(one(spans, 'app workflow').attributes).to.include({ 'infinium.llm_call_count': 0 });
  });

  describe('masking', () => {
    // Every text the recorded spans hold: the question, the instructions, the answer, the tools' arguments,
    // results and descriptions, the workflow's data. Names (agents, tools, models) are not among them.
    const TEXTS = ['Paris', 'sunny', '21°C', 'What is the weather', 'answer weather questions', '"city"', 'tempC', 'Current weather in a city', 'backend is down'];
    const HIDING: Array<[string, InfiniumSpanProcessorOptions, Record<string, string>]> = [
      ['captureContent: false', { captureContent: false }, {}],
      ['OPENINFERENCE_HIDE_INPUTS + OPENINFERENCE_HIDE_OUTPUTS', {}, { OPENINFERENCE_HIDE_INPUTS: 'true', OPENINFERENCE_HIDE_OUTPUTS: 'true' }],
    ];
    for (const [label, options, env] of HIDING) {
      it(`${label}: no text of the turn or the workflow on any span; kinds, names and tokens stay`, async () => {
        const saved = Object.keys(env).map((k) => [k, process.env[k]] as const);
        Object.assign(process.env, env);
        try {
          for (const scenario of ['agent-generate', 'agent-stream', 'ai-sdk-provider-generate', 'agent-tool-error', 'agent-model-error', 'workflow'] as const) {
            const spans = await run(scenario, options);
            const text = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events]));
            for (const secret of TEXTS) expect(text, `${scenario}: ${secret}`).not.to.contain(secret);
          }
          const spans = await run('agent-generate', options);
          expect(spanTree(spans)).to.equal(TOOL_TURN('agent-generate', 'Weather Agent'));
          expect(kindOf(spans, 'LLM').map((s) => s.attributes['llm.token_count.prompt'])).to.deep.equal([52, 88]);
          expect(one(spans, 'execute_tool weatherTool').attributes['tool.name']).to.equal('weatherTool');
          expect(one(spans, 'invoke_agent Weather Agent').attributes['agent.name']).to.equal('Weather Agent');
        } finally {
          restore(saved);
        }
      });
    }

    it('OPENINFERENCE_HIDE_INPUT_MESSAGES + _OUTPUT_MESSAGES: no message on the LLM spans, nor in the raw step input, output or body Mastra wrote beside them', async () => {
      const saved = [['OPENINFERENCE_HIDE_INPUT_MESSAGES', process.env.OPENINFERENCE_HIDE_INPUT_MESSAGES], ['OPENINFERENCE_HIDE_OUTPUT_MESSAGES', process.env.OPENINFERENCE_HIDE_OUTPUT_MESSAGES]] as const;
      Object.assign(process.env, { OPENINFERENCE_HIDE_INPUT_MESSAGES: 'true', OPENINFERENCE_HIDE_OUTPUT_MESSAGES: 'true' });
      try {
        const spans = await run('agent-generate');
        for (const step of kindOf(spans, 'LLM')) {
          expect(Object.keys(step.attributes).filter((k) => k.startsWith('llm.input_messages') || k.startsWith('llm.output_messages'))).to.deep.equal([]);
          for (const key of ['mastra.model_step.input', 'mastra.model_step.output', 'mastra.metadata.body']) expect(step.attributes[key]).to.equal('__REDACTED__');
        }
        expect(one(spans, 'chat gpt-4o-mini').attributes).to.include({ 'gen_ai.input.messages': '__REDACTED__', 'gen_ai.output.messages': '__REDACTED__' });
        expect(kindOf(spans, 'LLM').map((s) => s.attributes['llm.token_count.prompt'])).to.deep.equal([52, 88]);
      } finally {
        restore(saved);
      }
    });
  });
});
