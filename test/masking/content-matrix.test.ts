import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type OpenAIType from 'openai';
import type AnthropicType from '@anthropic-ai/sdk';
import type * as GenAI from '@google/genai';
import type { TraceConfigOptions } from '../../lib/masking/trace-config';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import { FakeLlmServer, ReceivedRequest, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../helpers/tracing';
import { chatCompletion, embeddingList, responseObject, textCompletion } from '../providers/openai/fixtures';
import { API_KEY as GEMINI_KEY, embeddingsResponse, generateContentResponse } from '../providers/google/fixtures';
import { message } from '../providers/anthropic/fixtures';

/** Planted in every text field of the requests, and of the responses. */
const IN = 'PLANT-in-q8w7';
const OUT = 'PLANT-out-z3x4';

const schema = { type: 'object', description: IN, properties: { q: { type: 'string', description: IN } } };

/** Every answer carries OUT: text, tool-call arguments, embeddings' own texts have none. */
function answer(request: ReceivedRequest) {
  const path = request.path;
  if (path.endsWith('/chat/completions')) {
    return chatCompletion({
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: `says ${OUT}`, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: `{"q":"${OUT}"}` } }] },
          finish_reason: 'tool_calls',
        },
      ],
    });
  }
  if (path.endsWith('/responses')) return responseObject({ output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: OUT, annotations: [] }] }] });
  if (path.endsWith('/completions')) return textCompletion({ choices: [{ text: OUT, index: 0, logprobs: null, finish_reason: 'stop' }] });
  if (path.endsWith('/embeddings')) return embeddingList([[0.1, 0.2]]);
  if (path.includes('embedContent')) return embeddingsResponse([[0.1, 0.2]]);
  if (path.endsWith('/messages')) return message({ content: [{ type: 'text', text: OUT }, { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: OUT } }] });
  return generateContentResponse([{ text: OUT }]);
}

/** Every operation with IN in each of its text fields, including those that are not messages. */
async function callEverything(openai: OpenAIType, ai: GenAI.GoogleGenAI, anthropic: AnthropicType): Promise<void> {
  await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    temperature: 0.2,
    max_tokens: 50,
    messages: [{ role: 'system', content: IN }, { role: 'user', content: IN }],
    tools: [{ type: 'function', function: { name: 'lookup', description: IN, parameters: schema } }],
    prediction: { type: 'content', content: IN },
    response_format: { type: 'json_schema', json_schema: { name: 'answer', description: IN, schema } },
    metadata: { note: IN },
    user: IN,
    safety_identifier: IN,
    prompt_cache_key: IN,
    stop: [IN],
  });
  await openai.responses.create({
    model: 'gpt-4o-mini',
    input: IN,
    instructions: IN,
    prompt: { id: 'pmpt_1', variables: { city: IN } },
    text: { format: { type: 'json_schema', name: 'answer', description: IN, schema } },
    tools: [{ type: 'function', name: 'lookup', description: IN, parameters: schema, strict: false }],
    reasoning: { effort: 'low' },
  });
  await openai.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: IN, suffix: IN, max_tokens: 5 });
  await openai.embeddings.create({ model: 'text-embedding-3-small', input: [IN], encoding_format: 'float' });
  await ai.models.generateContent({
    model: 'gemini-2.0-flash',
    contents: IN,
    config: {
      temperature: 0.4,
      systemInstruction: IN,
      responseSchema: { type: 'OBJECT' as GenAI.Type, description: IN },
      responseJsonSchema: schema,
      labels: { note: IN },
      tools: [{ functionDeclarations: [{ name: 'lookup', description: IN }] }],
    },
  });
  await ai.models.embedContent({ model: 'text-embedding-004', contents: [IN] });
  await anthropic.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 20,
    system: IN,
    messages: [{ role: 'user', content: IN }],
    tools: [{ name: 'lookup', description: IN, input_schema: { type: 'object', properties: { q: { type: 'string', description: IN } } } }],
    metadata: { user_id: IN },
    stop_sequences: [IN],
    thinking: { type: 'enabled', budget_tokens: 1024 },
  });
}

function everythingOf(spans: ReadableSpan[]): string {
  return JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events, s.status]));
}

describe('masking matrix: planted text through the real SDKs', () => {
  const tracing = createTracing();
  let instrumentation: ReturnType<typeof useInstrumentation>['instrumentation'];
  let server: FakeLlmServer;
  let openai: OpenAIType;
  let ai: GenAI.GoogleGenAI;
  let anthropic: AnthropicType;

  before(async () => {
    instrumentation = useInstrumentation(tracing).instrumentation;
    const { OpenAI } = require('openai') as typeof import('openai');
    const genai = require('@google/genai') as typeof GenAI;
    server = await startFakeLlmServer();
    server.handle((request) => ({ json: answer(request) }));
    openai = new OpenAI({ apiKey: 'sk-test-secret-123', baseURL: 'https://api.openai.com/v1', fetch: server.fetch, maxRetries: 0 });
    ai = new genai.GoogleGenAI({ apiKey: GEMINI_KEY, httpOptions: { baseUrl: server.origin } });
    const { Anthropic } = require('@anthropic-ai/sdk') as typeof import('@anthropic-ai/sdk');
    anthropic = new Anthropic({ apiKey: 'sk-ant-test-secret-123', baseURL: 'https://api.anthropic.com', fetch: server.fetch, maxRetries: 0 });
  });
  after(async () => {
    instrumentation.setConfig({});
    await server.stop();
  });
  beforeEach(() => tracing.reset());

  async function spansWith(config: TraceConfigOptions): Promise<ReadableSpan[]> {
    instrumentation.setConfig(config);
    await callEverything(openai, ai, anthropic);
    const spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(7);
    return spans;
  }

  it('with nothing hidden, both planted texts are recorded (the matrix below can fail)', async () => {
    const text = everythingOf(await spansWith({}));
    expect(text).to.contain(IN);
    expect(text).to.contain(OUT);
  });

  it('captureContent: false leaves neither text anywhere; settings and tool names stay', async () => {
    const spans = await spansWith({ captureContent: false });
    const text = everythingOf(spans);
    expect(text).not.to.contain(IN);
    expect(text).not.to.contain(OUT);
    const [chat, responses, completions, embeddings, gemini, , claude] = spans.map((s) => s.attributes);
    expect(chat['llm.invocation_parameters']).to.equal('{"model":"gpt-4o-mini","temperature":0.2,"max_tokens":50}');
    expect(chat['llm.tools.0.tool.json_schema']).to.equal('{"type":"function","function":{"name":"lookup"}}');
    expect(chat['llm.token_count.prompt']).to.equal(19);
    expect(responses['llm.invocation_parameters']).to.equal('{"model":"gpt-4o-mini","reasoning":{"effort":"low"}}');
    expect(responses['llm.tools.0.tool.json_schema']).to.equal('{"type":"function","name":"lookup"}');
    expect(completions['llm.invocation_parameters']).to.equal('{"model":"gpt-3.5-turbo-instruct","max_tokens":5}');
    expect(embeddings['llm.invocation_parameters']).to.equal('{"model":"text-embedding-3-small","encoding_format":"float"}');
    expect(gemini['llm.invocation_parameters']).to.equal('{"temperature":0.4}');
    expect(gemini['llm.tools.0.tool.json_schema']).to.equal('{"name":"lookup"}');
    expect(claude['llm.invocation_parameters']).to.equal('{"model":"claude-sonnet-4-6","max_tokens":20,"thinking":{"type":"enabled","budget_tokens":1024}}');
    expect(claude['llm.tools.0.tool.json_schema']).to.equal('{"name":"lookup"}');
    expect(claude['llm.token_count.prompt']).to.equal(312);
  });

  it('hideInputs leaves no request text (tools, parameters, embedding texts) and keeps the answers', async () => {
    const spans = await spansWith({ hideInputs: true });
    const text = everythingOf(spans);
    expect(text).not.to.contain(IN);
    expect(text).to.contain(OUT);
    const [chat, , , embeddings] = spans.map((s) => s.attributes);
    expect(Object.keys(chat).filter((k) => k.startsWith('llm.tools.'))).to.deep.equal([]);
    expect(chat['llm.invocation_parameters']).to.equal('{"model":"gpt-4o-mini","temperature":0.2,"max_tokens":50}');
    expect(embeddings['embedding.embeddings.0.embedding.text']).to.equal('__REDACTED__');
    expect(embeddings['embedding.embeddings.0.embedding.vector']).to.deep.equal([0.1, 0.2]);
  });

  it('hideOutputs leaves no answer text and keeps the requests', async () => {
    const text = everythingOf(await spansWith({ hideOutputs: true }));
    expect(text).not.to.contain(OUT);
    expect(text).to.contain(IN);
  });
});

describe('masking matrix: the processor on another instrumentation\'s span', () => {
  it('captureContent: false reduces its invocation parameters to settings and hides its tool definitions', async () => {
    const tracing = createTracing([new InfiniumSpanProcessor({ captureContent: false })]);
    const span = tracing.provider.getTracer('foreign').startSpan('chat x', {
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.invocation_parameters': JSON.stringify({ model: 'm', temperature: 1, metadata: { note: IN }, user: IN }),
        'llm.tools.0.tool.json_schema': JSON.stringify({ type: 'function', function: { name: 'lookup', description: IN } }),
        'gen_ai.tool.definitions': JSON.stringify([{ name: 'lookup', description: IN }]),
      },
    });
    span.end();
    const [ended] = await tracing.spans();
    expect(JSON.stringify(ended.attributes)).not.to.contain(IN);
    expect(ended.attributes['llm.invocation_parameters']).to.equal('{"model":"m","temperature":1}');
    expect(ended.attributes['llm.tools.0.tool.json_schema']).to.equal('{"type":"function","function":{"name":"lookup"}}');
    expect(ended.attributes['gen_ai.tool.definitions']).to.equal('__REDACTED__');
  });
});
