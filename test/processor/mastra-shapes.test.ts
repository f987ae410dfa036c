import { expect } from 'chai';
import type { Attributes } from '@opentelemetry/api';
import { mastraConversion } from '../../lib/processor/mastra-mapper';
import { ofType, recorded } from './fixtures/mastra/recorded';

/**
 * What the Mastra conversion makes of shapes the recorded app (an OpenAI-compatible Chat Completions server)
 * did not produce: other providers' raw response bodies, values no one should write, spans not Mastra's.
 * Each body is the provider's own JSON as the AI SDK hands it to Mastra (`response.body`), which Mastra
 * records as `mastra.metadata.body` on a non-streamed step.
 */
const BRIDGE = { name: '@mastra/otel-bridge' };
const recordedStep = ofType(recorded('agent-generate'), 'model_step')[0];

/** The recorded first step (the model asks for weatherTool) as if another provider had answered it. */
function stepFrom(modelProvider: string, body: object): { kind: string; record: any } {
  const attributes: Attributes = {
    ...recordedStep.attributes,
    'mastra.metadata.body': JSON.stringify(body),
    'mastra.metadata.modelMetadata': JSON.stringify({ modelId: 'requested-model', modelVersion: 'v2', modelProvider }),
  };
  return mastraConversion({ name: recordedStep.name, attributes, instrumentationScope: BRIDGE }) as { kind: string; record: any };
}

const counts = (usage: object) => Object.fromEntries(Object.entries(usage).filter(([, n]) => n !== undefined));
const TOOL_CALL = [{ role: 'assistant', toolCalls: [{ id: 'call_weather_1', name: 'weatherTool', arguments: '{"city":"Paris"}' }] }];

describe('mastraConversion: response bodies, malformed values, other spans', () => {
  it('an OpenAI Responses body: its model, id, status as the finish reason, and exact usage (read as our Responses spans read it)', () => {
    const { record } = stepFrom('openai.responses', {
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      model: 'gpt-4o-mini-2024-07-18',
      output: [{ type: 'function_call', id: 'fc_1', call_id: 'call_weather_1', name: 'weatherTool', arguments: '{"city":"Paris"}', status: 'completed' }],
      usage: { input_tokens: 52, input_tokens_details: { cached_tokens: 16 }, output_tokens: 17, output_tokens_details: { reasoning_tokens: 5 }, total_tokens: 69 },
    });
    expect(record).to.deep.include({ provider: 'openai', requestModel: 'requested-model', responseModel: 'gpt-4o-mini-2024-07-18', responseId: 'resp_1', finishReason: 'completed' });
    expect(counts(record.usage)).to.deep.equal({ prompt: 52, completion: 17, total: 69, cacheRead: 16, reasoning: 5 });
    expect(record.outputMessages).to.deep.equal(TOOL_CALL);
  });

  it('an Anthropic Messages body: the prompt count takes the cache in (20 + 30 read + 2 written), as for every Anthropic call', () => {
    const { record } = stepFrom('anthropic.messages', {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5-20251001',
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'weatherTool', input: { city: 'Paris' } }],
      stop_reason: 'tool_use',
      usage: { input_tokens: 20, cache_read_input_tokens: 30, cache_creation_input_tokens: 2, output_tokens: 17 },
    });
    expect(record).to.deep.include({ provider: 'anthropic', system: 'anthropic', responseModel: 'claude-haiku-4-5-20251001', responseId: 'msg_1', finishReason: 'tool_use' });
    expect(counts(record.usage)).to.deep.equal({ prompt: 52, completion: 17, cacheRead: 30, cacheWrite: 2 });
  });

  it('a Gemini body: thoughts in the completion count; the tool call from Mastra\'s own output, not the body Mastra cut 8 levels deep', () => {
    const { record } = stepFrom('google.generative-ai', {
      candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'weatherTool', args: { city: '[MaxDepth]' } } }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 52, candidatesTokenCount: 12, thoughtsTokenCount: 5, totalTokenCount: 69, cachedContentTokenCount: 16 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'gem-1',
    });
    expect(record).to.deep.include({ provider: 'google', system: 'vertexai', responseModel: 'gemini-2.5-flash', responseId: 'gem-1', finishReason: 'STOP' });
    expect(counts(record.usage)).to.deep.equal({ prompt: 52, completion: 17, total: 69, cacheRead: 16, reasoning: 5 });
    expect(record.outputMessages).to.deep.equal(TOOL_CALL);
  });

  it('a step whose own output is empty keeps the messages of its body', () => {
    const attributes: Attributes = {
      'mastra.span.type': 'model_step',
      'mastra.model_step.output': '{"text":"","toolCalls":[]}',
      'mastra.metadata.body': JSON.stringify({ id: 'chatcmpl-9', object: 'chat.completion', model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }] }),
    };
    const { record } = mastraConversion({ name: 'model_step x', attributes, instrumentationScope: BRIDGE }) as { record: any };
    expect(record.outputMessages).to.have.length(1);
    expect(record.outputMessages[0]).to.deep.include({ role: 'assistant', content: 'Hello' });
    expect(record).to.deep.include({ responseId: 'chatcmpl-9', finishReason: 'stop' });
  });

  it('a span that is not the bridge\'s is given back before any of its attributes is read', () => {
    const untouchable = new Proxy({}, {
      get: () => {
        throw new Error('read');
      },
    }) as Attributes;
    for (const scope of ['@infinium/otel', '@opentelemetry/instrumentation-http', 'ai', '']) {
      expect(mastraConversion({ name: 'chat gpt-4o-mini', attributes: untouchable, instrumentationScope: { name: scope } })).to.equal(undefined);
    }
    // A span object without a scope (not one an SDK of ours makes) is not Mastra's either.
    expect(mastraConversion({ name: 'x', attributes: untouchable } as never)).to.equal(undefined);
  });

  it('malformed values on every Mastra key, for every span type: never a throw, always the span\'s kind', () => {
    const VALUES: unknown[] = [
      '', 'null', '42', '"text"', '[]', '[null]', '{', '{"__proto__":{"polluted":1}}', 'x'.repeat(10_000), 0, -1, true, ['a', 'b'], [1, 2],
      '{"object":"response","output":"x","usage":[1],"status":7}',
      '{"type":"message","content":{},"usage":"x","stop_reason":[]}',
      '{"candidates":{},"usageMetadata":[],"modelVersion":{}}',
      '{"candidates":[null,{"content":5}],"usageMetadata":{"promptTokenCount":-4,"thoughtsTokenCount":"x"}}',
      '{"choices":[null,{"message":[]},{"message":{"tool_calls":[null,{"function":3}]}}],"usage":{"prompt_tokens":1e400,"prompt_tokens_details":7}}',
      '{"text":{"nested":true},"toolCalls":[null,{"toolCallId":1,"args":"not json"},{"args":{"a":[]}}]}',
      '{"modelId":[],"modelProvider":{"x":1}}',
    ];
    const KEYS = ['mastra.model_step.input', 'mastra.model_step.output', 'mastra.metadata.body', 'mastra.metadata.modelMetadata', 'gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.agent.name', 'mastra.agent_run.output', 'error.type'];
    const TYPES: Array<[string, string]> = [['model_step', 'LLM'], ['agent_run', 'AGENT'], ['model_generation', 'CHAIN'], ['model_chunk', 'CHAIN'], ['workflow_run', 'CHAIN'], ['client_tool_call', 'TOOL'], ['scorer_run', 'EVALUATOR']];
    for (const [type, kind] of TYPES) {
      for (const value of VALUES) {
        const attributes = Object.fromEntries([['mastra.span.type', type], ...KEYS.map((k) => [k, value]), [`mastra.${type}.input`, value], [`mastra.${type}.output`, value]]) as Attributes;
        expect(mastraConversion({ name: `${type} x`, attributes, instrumentationScope: BRIDGE })?.kind, `${type} ${String(value).slice(0, 40)}`).to.equal(kind);
      }
    }
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('a value whose very read throws: the span keeps its kind, the processor gets no exception', () => {
    const attributes = { 'mastra.span.type': 'model_step' } as Attributes;
    Object.defineProperty(attributes, 'mastra.model_step.input', {
      enumerable: true,
      get: () => {
        throw new Error('hostile getter');
      },
    });
    const conversion = mastraConversion({ name: 'model_step x', attributes, instrumentationScope: BRIDGE }) as { kind: string; record: any };
    expect(conversion.kind).to.equal('LLM');
    expect(conversion.record).to.deep.include({ kind: 'LLM', provider: 'unknown', inputMessages: [], outputMessages: [] });
  });
});
