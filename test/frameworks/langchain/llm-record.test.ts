import { expect } from 'chai';
import { modelCallRecord, recordModelOutput, usageOf } from '../../../lib/frameworks/langchain/llm-record';
import { messageOf } from '../../../lib/frameworks/langchain/llm-messages';
import { lc } from './handler-fixtures';

const { AIMessage, HumanMessage, SystemMessage, ToolMessage } = lc.messages;

const chatModel = { lc: 1, type: 'constructor', id: ['langchain', 'chat_models', 'openai', 'ChatOpenAI'], kwargs: {} };

describe('LangChain model runs → CallRecord', () => {
  it('the request: provider and model from ls_*, parameters and tools from invocation_params, every input message on its role', () => {
    const record = modelCallRecord(
      {
        serialized: chatModel,
        messages: [
          new SystemMessage('Be brief.'),
          new HumanMessage('add 2'),
          new AIMessage({ content: '', tool_calls: [{ id: 'call_1', name: 'adder', args: { a: 2 } }] }),
          new ToolMessage({ content: 'got 2', tool_call_id: 'call_1' }),
        ],
        extraParams: {
          invocation_params: { model: 'gpt-4o-mini', temperature: 0.2, tools: [{ type: 'function', function: { name: 'adder' } }], stream: false },
          options: {},
        },
        metadata: { ls_provider: 'openai', ls_model_name: 'gpt-4o-mini', ls_model_type: 'chat' },
      },
      1234,
    );
    expect([record.kind, record.operation, record.provider, record.system, record.requestModel, record.startedAt]).to.deep.equal(['LLM', 'chat', 'openai', 'openai', 'gpt-4o-mini', 1234]);
    expect(record.invocationParameters).to.deep.equal({ model: 'gpt-4o-mini', temperature: 0.2, stream: false });
    expect(record.tools).to.deep.equal(['{"type":"function","function":{"name":"adder"}}']);
    expect(record.inputMessages).to.deep.equal([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'add 2' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'adder', arguments: '{"a":2}' }] },
      { role: 'tool', content: 'got 2', toolCallId: 'call_1' },
    ]);
  });

  it('providers: LangChain names mapped (Vertex AI keeps its GenAI name), else the class name; ls_* parameters as a fallback', () => {
    const vertex = modelCallRecord({ serialized: chatModel, messages: [], extraParams: {}, metadata: { ls_provider: 'google_vertexai', ls_temperature: 0 } }, 0);
    expect([vertex.provider, vertex.system, vertex.genAiProvider, vertex.invocationParameters]).to.deep.equal(['google', 'vertexai', 'gcp.vertex_ai', { temperature: 0 }]);
    const bedrock = modelCallRecord({ serialized: chatModel, messages: [], extraParams: {}, metadata: { ls_provider: 'bedrock' } }, 0);
    expect([bedrock.provider, bedrock.system]).to.deep.equal(['aws', 'amazon']);
    const unnamed = modelCallRecord({ serialized: chatModel, messages: [], extraParams: {}, metadata: {} }, 0);
    expect(unnamed.provider).to.equal('chatopenai');
  });

  it('tools offered as LangChain tool objects: their name and description (their schema is zod)', () => {
    const toolObject = { lc_serializable: false, name: 'adder', description: 'adds', schema: { _def: {} } };
    const record = modelCallRecord({ serialized: chatModel, messages: [], extraParams: { options: { tools: [toolObject] } }, metadata: {} }, 0);
    expect(record.tools).to.deep.equal(['{"type":"function","function":{"name":"adder","description":"adds"}}']);
  });

  it('the response: output message with tool calls, finish reason, response model and id, usage with its details', () => {
    const record = modelCallRecord({ serialized: chatModel, messages: [], extraParams: {}, metadata: {} }, 0);
    recordModelOutput(record, {
      generations: [
        [
          {
            text: '',
            message: new AIMessage({
              id: 'chatcmpl-1',
              content: '',
              tool_calls: [{ id: 'call_9', name: 'search', args: { q: 'x' } }],
              response_metadata: { model_name: 'gpt-4o-mini-2024-07-18', finish_reason: 'tool_calls' },
              usage_metadata: {
                input_tokens: 100,
                output_tokens: 40,
                total_tokens: 140,
                input_token_details: { cache_read: 60, cache_creation: 10, audio: 5 },
                output_token_details: { reasoning: 30, audio: 2 },
              },
            }),
          },
        ],
      ],
    });
    expect(record.outputMessages).to.deep.equal([{ role: 'assistant', content: '', toolCalls: [{ id: 'call_9', name: 'search', arguments: '{"q":"x"}' }] }]);
    expect([record.finishReason, record.responseModel, record.responseId]).to.deep.equal(['tool_calls', 'gpt-4o-mini-2024-07-18', 'chatcmpl-1']);
    expect(record.usage).to.deep.equal({ prompt: 100, completion: 40, total: 140, cacheRead: 60, cacheWrite: 10, promptAudio: 5, reasoning: 30, completionAudio: 2 });
  });

  it('text LLMs and older integrations: prompts, generation text, llmOutput.tokenUsage; LangChain run ids are no response ids', () => {
    const record = modelCallRecord({ serialized: chatModel, prompts: ['Say hi'], extraParams: {}, metadata: { ls_provider: 'openai' } }, 0);
    recordModelOutput(record, {
      generations: [[{ text: 'hi', generationInfo: { finish_reason: 'stop' } }]],
      llmOutput: { tokenUsage: { promptTokens: 3, completionTokens: 1, totalTokens: 4 }, model_name: 'gpt-3.5-turbo-instruct' },
    });
    expect([record.operation, record.prompts, record.outputMessages]).to.deep.equal(['text_completion', ['Say hi'], [{ role: 'assistant', content: 'hi' }]]);
    expect([record.finishReason, record.responseModel, record.usage]).to.deep.equal(['stop', 'gpt-3.5-turbo-instruct', { prompt: 3, completion: 1, total: 4 }]);
    const fake = modelCallRecord({ serialized: chatModel, messages: [], extraParams: {}, metadata: {} }, 0);
    recordModelOutput(fake, { generations: [[{ text: 'x', message: new AIMessage({ id: 'run-01a2', content: 'x' }) }]] });
    expect(fake.responseId).to.equal(undefined);
  });

  it('usage: malformed counts are left out by the record, absent details are not invented', () => {
    expect(usageOf({ input_tokens: 5, output_tokens: 2, total_tokens: 7 })).to.deep.equal({ prompt: 5, completion: 2, total: 7 });
    expect(usageOf(undefined)).to.equal(undefined);
    const record = modelCallRecord({ serialized: chatModel, messages: [], extraParams: {}, metadata: {} }, 0);
    recordModelOutput(record, { generations: [[{ text: '', message: new AIMessage({ content: '', usage_metadata: { input_tokens: -4, output_tokens: 2, total_tokens: 2 } }) }]] });
    expect(record.usage).to.deep.equal({ completion: 2, total: 2 });
  });

  it('messages: content blocks as parts, serialized messages, message-likes', () => {
    expect(messageOf(new HumanMessage({ content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'https://x/img.png' } }] }))).to.deep.equal({
      role: 'user',
      parts: [
        { type: 'text', text: 'look' },
        { type: 'image', imageUrl: 'https://x/img.png' },
      ],
    });
    expect(messageOf(JSON.parse(JSON.stringify(new AIMessage('hello'))))).to.deep.equal({ role: 'assistant', content: 'hello' });
    expect(messageOf({ role: 'user', content: 'hi' })).to.deep.equal({ role: 'user', content: 'hi' });
    expect(messageOf({ foo: 1 })).to.equal(undefined);
  });
});
