import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { genAiCallRecord, genAiOtherAttributes, genAiSpanKind, normalizeProvider, systemOf } from '../../lib/processor/genai-mapper';
import { GENAI_CHAT } from './genai-fixtures';

describe('genai-mapper', () => {
  it('maps every gen_ai.operation.name to its OpenInference kind', () => {
    const kinds = Object.fromEntries(
      ['chat', 'text_completion', 'generate_content', 'embeddings', 'execute_tool', 'invoke_agent', 'create_agent', 'invoke_workflow', 'retrieval', 'count_tokens', 'toString']
        .map((op) => [op, genAiSpanKind(op)]),
    );
    expect(kinds).to.deep.equal({
      chat: 'LLM', text_completion: 'LLM', generate_content: 'LLM', embeddings: 'EMBEDDING', execute_tool: 'TOOL',
      invoke_agent: 'AGENT', create_agent: 'AGENT', invoke_workflow: 'CHAIN', retrieval: 'RETRIEVER',
      count_tokens: undefined, toString: undefined,
    });
    expect(genAiSpanKind(undefined)).to.equal(undefined);
    expect(genAiSpanKind(7)).to.equal(undefined);
  });

  it('normalizes new and old provider names', () => {
    const names = ['gcp.gemini', 'gcp.vertex_ai', 'aws.bedrock', 'az.ai.openai', 'x_ai', 'Anthropic', 'openai', 'groq', undefined];
    expect(names.map((n) => normalizeProvider(n))).to.deep.equal(['google', 'google', 'aws', 'azure', 'xai', 'anthropic', 'openai', 'groq', 'unknown']);
    expect(['google', 'azure', 'anthropic', 'xai'].map(systemOf)).to.deep.equal(['vertexai', 'openai', 'anthropic', 'xai']);
  });

  it('reads the new vocabulary: messages, system instructions, tokens, parameters, finish reason', () => {
    const record = genAiCallRecord(GENAI_CHAT, 'LLM');
    expect(record).to.deep.include({
      kind: 'LLM',
      operation: 'chat',
      provider: 'openai',
      system: 'openai',
      requestModel: 'gpt-4o',
      responseModel: 'gpt-4o-2024-08-06',
      usage: { prompt: 40, completion: 12, cacheRead: 8 },
      invocationParameters: { model: 'gpt-4o', temperature: 0.3, max_tokens: 200 },
      finishReason: 'stop',
    });
    expect(record.inputMessages).to.deep.equal([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
      { role: 'tool', toolCallId: 'call_1', content: '18C' },
    ]);
    expect(record.outputMessages).to.deep.equal([{ role: 'assistant', content: 'It is 18C.' }]);
    expect(record.error).to.equal(undefined);
  });

  it('reads the old vocabulary: gen_ai.system, prompt/completion tokens, cache creation, error.type', () => {
    const record = genAiCallRecord(
      {
        'gen_ai.operation.name': 'generate_content',
        'gen_ai.system': 'gcp.vertex_ai',
        'gen_ai.request.model': 'gemini-2.0-flash',
        'gen_ai.usage.prompt_tokens': 30,
        'gen_ai.usage.completion_tokens': 5,
        'gen_ai.usage.cache_creation.input_tokens': 11,
        'gen_ai.system_instructions': 'You are terse.',
        'error.type': 'ApiError',
      },
      'LLM',
    );
    expect(record).to.deep.include({
      operation: 'generate_content',
      provider: 'google',
      system: 'vertexai',
      requestModel: 'gemini-2.0-flash',
      usage: { prompt: 30, completion: 5, cacheWrite: 11 },
      error: { type: 'ApiError' },
      inputMessages: [{ role: 'system', content: 'You are terse.' }],
      outputMessages: [],
    });
    expect(record.invocationParameters).to.equal(undefined);
  });

  it('a failed span without error.type (as @ai-sdk/otel writes it): the error type from its last exception event', () => {
    const exception = (type: unknown) => ({ name: 'exception', attributes: { 'exception.type': type as string, 'exception.message': 'Internal Server Error' } });
    const failed = (...events: Array<{ name: string; attributes?: Record<string, string> }>) => ({ status: { code: SpanStatusCode.ERROR }, events });
    const errorOf = (outcome: Parameters<typeof genAiCallRecord>[2], a = GENAI_CHAT) => genAiCallRecord(a, 'LLM', outcome).error;
    expect(errorOf(failed({ name: 'gen_ai.content.prompt' }, exception('AI_RetryError'), { name: 'log' }, exception('AI_APICallError'), { name: 'log' }))).to.deep.equal({ type: 'AI_APICallError' });
    // An exception event with no usable type is passed over.
    expect(errorOf(failed(exception('TypeError'), exception(''), { name: 'exception', attributes: { 'exception.message': 'no type' } }))).to.deep.equal({ type: 'TypeError' });
    // The span's own error.type wins.
    expect(errorOf(failed(exception('AI_APICallError')), { ...GENAI_CHAT, 'error.type': '500' })).to.deep.equal({ type: '500' });
    // Not failed, or no exception event: no error.
    expect(errorOf({ status: { code: SpanStatusCode.UNSET }, events: [exception('AI_APICallError')] })).to.equal(undefined);
    expect(errorOf({ status: { code: SpanStatusCode.OK }, events: [exception('AI_APICallError')] })).to.equal(undefined);
    expect(errorOf(failed({ name: 'log' }))).to.equal(undefined);
    expect(errorOf(undefined)).to.equal(undefined);
  });

  it('recognises xAI behind an OpenAI client by its host, and the Anthropic cache_write spelling', () => {
    const record = genAiCallRecord(
      { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'server.address': 'api.x.ai', 'gen_ai.usage.cache_write.input_tokens': 3 },
      'LLM',
    );
    expect(record.provider).to.equal('xai');
    expect(record.usage).to.deep.equal({ cacheWrite: 3 });
  });

  it('reads multi-part and image content, and skips malformed messages', () => {
    const record = genAiCallRecord(
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.input.messages': JSON.stringify([
          { role: 'user', parts: [{ type: 'text', content: 'What is this?' }, { type: 'blob', modality: 'image', mime_type: 'image/jpeg', content: 'AAAA' }, { type: 'uri', modality: 'image', uri: 'https://x/y.png' }] },
          'not a message',
          { role: 'user', parts: 'nope' },
        ]),
        'gen_ai.output.messages': '{not json',
      },
      'LLM',
    );
    expect(record.inputMessages).to.deep.equal([
      { role: 'user', parts: [{ type: 'text', text: 'What is this?' }, { type: 'image', imageUrl: 'data:image/jpeg;base64,AAAA' }, { type: 'image', imageUrl: 'https://x/y.png' }] },
      { role: 'user' },
    ]);
    expect(record.outputMessages).to.deep.equal([]);
    expect(record.provider).to.equal('unknown');
  });

  it('gives tool, agent and workflow spans their kind and tool input/output', () => {
    expect(
      genAiOtherAttributes({ 'gen_ai.tool.name': 'get_weather', 'gen_ai.tool.call.arguments': '{"city":"Paris"}', 'gen_ai.tool.call.result': '18C' }, 'TOOL'),
    ).to.deep.equal({
      'openinference.span.kind': 'TOOL',
      'tool.name': 'get_weather',
      'input.value': '{"city":"Paris"}',
      'input.mime_type': 'application/json',
      'output.value': '18C',
      'output.mime_type': 'text/plain',
    });
    expect(genAiOtherAttributes({ 'gen_ai.agent.name': 'planner' }, 'AGENT')).to.deep.equal({ 'openinference.span.kind': 'AGENT', 'agent.name': 'planner' });
    expect(genAiOtherAttributes({}, 'CHAIN')).to.deep.equal({ 'openinference.span.kind': 'CHAIN' });
  });
});
