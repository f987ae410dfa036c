import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { FakeLlmServer } from '../../helpers/fake-llm-server';
import { llmSpans, TestTracing } from '../../helpers/tracing';
import { inputMessages } from './expected';
import { generateContentResponse } from './fixtures';

/** The chat session API that `@google/generative-ai` and `@google-cloud/vertexai` share. */
interface ChatSessionLike {
  sendMessage(request: unknown): Promise<unknown>;
}
interface ModelLike {
  startChat(request?: Record<string, unknown>): ChatSessionLike;
}

export interface ChatSuite {
  model(params?: Record<string, unknown>): ModelLike;
  server(): FakeLlmServer;
  tracing: TestTracing;
  onlySpan(): Promise<ReadableSpan>;
  /** The model's name in the span. */
  modelName: string;
}

/**
 * `startChat().sendMessage` tests both SDKs run: their sessions take the same requests, and each message
 * must be one span with the session's defaults and the history so far.
 */
export function chatSessionTests(suite: ChatSuite): void {
  it('sendMessage: one span per message (the session calls no patched model method), with its defaults and history', async () => {
    const server = suite.server();
    server.reply({ json: generateContentResponse() });
    const chat = suite.model({ systemInstruction: 'You are terse.' }).startChat({ generationConfig: { temperature: 0.3 } });
    await chat.sendMessage('Hi');
    server.reply({ json: generateContentResponse([{ text: 'Still here.' }]) });
    await chat.sendMessage([{ text: 'Still ' }, 'there?']);
    const spans = llmSpans(await suite.tracing.spans());
    expect(spans.map((s) => s.name)).to.deep.equal([`generate_content ${suite.modelName}`, `generate_content ${suite.modelName}`]);
    expect(JSON.parse(spans[1].attributes['input.value'] as string)).to.deep.equal([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello there!' },
      { role: 'user', content: 'Still there?' },
    ]);
    expect(spans[1].attributes['llm.temperature']).to.equal(0.3);
    expect(spans[1].attributes['output.value']).to.equal('Still here.');
  });

  it('a function response turn becomes a tool message', async () => {
    suite.server().reply({ json: generateContentResponse([{ text: '21°C.' }]) });
    const chat = suite.model().startChat({
      history: [
        { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      ],
    });
    await chat.sendMessage([{ functionResponse: { name: 'get_weather', response: { name: 'get_weather', content: { temperature: 21 } } } }]);
    expect(inputMessages(await suite.onlySpan())).to.deep.equal({
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Weather in Paris?',
      'llm.input_messages.1.message.role': 'assistant',
      'llm.input_messages.1.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
      'llm.input_messages.2.message.role': 'tool',
      'llm.input_messages.2.message.name': 'get_weather',
      'llm.input_messages.2.message.content': '{"name":"get_weather","content":{"temperature":21}}',
    });
  });
}
