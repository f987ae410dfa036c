import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { generateObject, streamObject } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { z } from 'zod';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, useInstrumentation } from '../../helpers/tracing';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { chatCompletion } from '../openai/fixtures';
import { one, openAiError, spansWhen, spanTree } from './helpers';

/** ai 7's generateObject/streamObject: no channel messages; traced from the SDK's telemetry callbacks. */
describe('ai 7 generateObject / streamObject', () => {
  let server: FakeLlmServer;
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  const openai = () => createOpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1` });
  const schema = z.object({ city: z.string(), temp: z.number() });
  const OBJECT = '{"city":"Paris","temp":20}';

  const g = globalThis as { AI_SDK_LOG_WARNINGS?: unknown };
  const savedWarnings = g.AI_SDK_LOG_WARNINGS;

  before(async () => {
    // Both are deprecated in ai 7 (in favour of generateText/streamText with `output`) and say so on stderr.
    g.AI_SDK_LOG_WARNINGS = false;
    useInstrumentation(tracing);
    server = await startFakeLlmServer();
  });
  after(async () => {
    g.AI_SDK_LOG_WARNINGS = savedWarnings;
    await server.stop();
  });
  beforeEach(() => tracing.reset());

  it('generateObject: AGENT > LLM under the active span, the object as output', async () => {
    server.reply({ json: chatCompletion({ choices: [{ index: 0, message: { role: 'assistant', content: OBJECT }, finish_reason: 'stop' }] }) });
    const result = await tracing.inParent('request', () => generateObject({ model: openai().chat('gpt-4o-mini'), schema, prompt: 'Weather in Paris?' }));
    expect(result.object).to.deep.equal({ city: 'Paris', temp: 20 });
    const spans = await tracing.spans();
    expect(spanTree(spans)).to.equal(['request', '  ai.generateObject [AGENT]', '    chat gpt-4o-mini [LLM]'].join('\n'));
    expect(one(spans, 'ai.generateObject').attributes).to.include({ 'input.value': 'Weather in Paris?', 'output.value': OBJECT });
    expect(one(spans, 'chat gpt-4o-mini').attributes).to.include({
      'llm.provider': 'openai',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Weather in Paris?',
      'llm.output_messages.0.message.content': OBJECT,
      'llm.token_count.prompt': 19,
      'llm.token_count.completion': 10,
      'llm.finish_reason': 'stop',
    });
    expect(one(spans, 'request').attributes['infinium.llm_call_count']).to.equal(1);
  });

  it('streamObject: the spans end with the stream, with the whole object', async () => {
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] });
    server.reply({
      sse: [
        { data: chunk({ role: 'assistant', content: '{"city":' }) },
        { data: chunk({ content: '"Paris","temp":20}' }) },
        { data: chunk({}, 'stop') },
        { data: { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 } } },
        { data: '[DONE]' },
      ],
    });
    const result = streamObject({ model: openai().chat('gpt-4o-mini'), schema, prompt: 'Weather?' });
    for await (const _ of result.partialObjectStream);
    expect(await result.object).to.deep.equal({ city: 'Paris', temp: 20 });
    const spans = await spansWhen(tracing, (s) => s.length >= 2, 'the run and its LLM span to end');
    expect(spanTree(spans)).to.equal(['ai.streamObject [AGENT]', '  chat gpt-4o-mini [LLM]'].join('\n'));
    expect(one(spans, 'chat gpt-4o-mini').attributes).to.include({ 'llm.output_messages.0.message.content': OBJECT, 'llm.token_count.prompt': 12, 'llm.token_count.completion': 7 });
  });

  it('generateObject failing with HTTP 400: both spans are errors, the app gets the SDK error', async () => {
    server.reply(openAiError());
    const error = await generateObject({ model: openai().chat('gpt-4o-mini'), schema, prompt: 'Hi', maxRetries: 0 }).catch((e: unknown) => e);
    expect((error as Error).name).to.equal('AI_APICallError');
    const spans = await tracing.spans();
    expect(spanTree(spans)).to.equal(['ai.generateObject [AGENT]', '  chat gpt-4o-mini [LLM]'].join('\n'));
    for (const span of spans) expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(one(spans, 'chat gpt-4o-mini').attributes['error.type']).to.equal('APICallError');
  });
});
