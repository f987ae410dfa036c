import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { useProviderSuite } from '../../helpers/provider-suite';
import { createTracing, expectAbandoned, llmSpans, stable } from '../../helpers/tracing';
import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';
import type { FakeBedrock } from './fake-bedrock';
import { anthropicBody, anthropicChunks, BedrockSdk, bedrockClient, startBedrock, stopBedrock, CLAUDE, decodeJson, encodeJson, llamaChunks, NOVA, novaBody, novaChunks } from './fixtures';

const CLAUDE_REQUEST = {
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 100,
  temperature: 0.1,
  system: 'Answer in French.',
  messages: [{ role: 'user', content: 'Hello' }],
};

describe('bedrock InvokeModel and InvokeModelWithResponseStream', () => {
  const tracing = createTracing();
  let instrumentation: InfiniumInstrumentation;
  let server: FakeBedrock;
  let sdk: BedrockSdk;
  let client: ReturnType<typeof bedrockClient>;

  const { onlySpan } = useProviderSuite(async (i) => ({ instrumentation, sdk, server, client } = await startBedrock(i)), { tracing, tearDown: stopBedrock });

  it('Anthropic body (string): the Messages shapes, system anthropic, cache-inclusive prompt count', async () => {
    server.answer({ json: anthropicBody() });
    const output = await client.send(new sdk.InvokeModelCommand({ modelId: CLAUDE, contentType: 'application/json', body: JSON.stringify(CLAUDE_REQUEST) }));
    expect(decodeJson(output.body).content[0].text).to.equal('Bonjour!');
    const span = await onlySpan();
    expect(span.name).to.equal(`chat ${CLAUDE}`);
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'aws',
      'llm.system': 'anthropic',
      'llm.model_name': 'claude-3-5-haiku-20241022',
      'llm.model': 'claude-3-5-haiku-20241022',
      'llm.temperature': 0.1,
      'llm.invocation_parameters': '{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"temperature":0.1}',
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'Answer in French.',
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.content': 'Hello',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Bonjour!',
      'input.value': '[{"role":"system","content":"Answer in French."},{"role":"user","content":"Hello"}]',
      'input.mime_type': 'application/json',
      'output.value': 'Bonjour!',
      'output.mime_type': 'text/plain',
      'llm.token_count.prompt': 110,
      'llm.token_count.completion': 4,
      'llm.token_count.total': 114,
      'llm.token_count.prompt_details.cache_read': 100,
      'llm.token_count.prompt_details.cache_write': 0,
      'llm.prompt_tokens': 110,
      'llm.completion_tokens': 4,
      // claude-3-5-haiku on Bedrock, per million: 0.80 input, 0.08 cache read, 4.00 output.
      // (10 × 0.8 + 100 × 0.08) / 1e6 = 0.000016; 4 × 4 / 1e6 = 0.000016. No cache write: no cache_write key.
      'llm.cost.prompt': 0.000016,
      'llm.cost.completion': 0.000016,
      'llm.cost.total': 0.000032,
      'llm.cost.prompt_details.cache_read': 0.000008,
      'llm.finish_reason': 'end_turn',
    });
    expect(server.requests.at(-1)!.path).to.equal(`/model/${CLAUDE}/invoke`);
  });

  it('Anthropic body as bytes, through an inference-profile ARN: the body decides the family', async () => {
    server.answer({ json: anthropicBody() });
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';
    await client.send(new sdk.InvokeModelCommand({ modelId: arn, body: encodeJson(CLAUDE_REQUEST) }));
    const a = (await onlySpan()).attributes;
    expect(a['llm.system']).to.equal('anthropic');
    expect(a['llm.input_messages.1.message.content']).to.equal('Hello');
    expect(a['llm.output_messages.0.message.content']).to.equal('Bonjour!');
  });

  it('Amazon Nova body: the Converse shapes, read from the model body', async () => {
    server.answer({ json: novaBody() });
    const body = { schemaVersion: 'messages-v1', system: [{ text: 'Be nice.' }], messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { max_new_tokens: 50, temperature: 0.7 } };
    await client.send(new sdk.InvokeModelCommand({ modelId: NOVA, body: JSON.stringify(body) }));
    expect(stable(await onlySpan())).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'aws',
      'llm.system': 'amazon',
      'llm.model_name': NOVA,
      'llm.model': NOVA,
      'llm.temperature': 0.7,
      'llm.invocation_parameters': '{"max_new_tokens":50,"temperature":0.7}',
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'Be nice.',
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.content': 'Hi',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Hi from Nova',
      'input.value': '[{"role":"system","content":"Be nice."},{"role":"user","content":"Hi"}]',
      'input.mime_type': 'application/json',
      'output.value': 'Hi from Nova',
      'output.mime_type': 'text/plain',
      'llm.token_count.prompt': 8,
      'llm.token_count.completion': 4,
      'llm.token_count.total': 12,
      'llm.token_count.prompt_details.cache_read': 0,
      'llm.token_count.prompt_details.cache_write': 0,
      'llm.prompt_tokens': 8,
      'llm.completion_tokens': 4,
      // amazon.nova-lite-v1:0, per million: 0.06 input, 0.24 output. 8 × 0.06 / 1e6, 4 × 0.24 / 1e6.
      'llm.cost.prompt': 0.00000048,
      'llm.cost.completion': 0.00000096,
      'llm.cost.total': 0.00000144,
      'llm.finish_reason': 'end_turn',
    });
  });

  it('other models are recorded without content; embedding models make EMBEDDING spans, rerank models RERANKER spans', async () => {
    server.answer({ json: { generation: 'Hello!', prompt_token_count: 5, generation_token_count: 2, stop_reason: 'stop' } });
    await client.send(new sdk.InvokeModelCommand({ modelId: 'meta.llama3-8b-instruct-v1:0', body: JSON.stringify({ prompt: 'secret prompt', max_gen_len: 10 }) }));
    server.answer({ json: { embedding: [0.1, 0.2], inputTextTokenCount: 3 } });
    await client.send(new sdk.InvokeModelCommand({ modelId: 'amazon.titan-embed-text-v2:0', body: JSON.stringify({ inputText: 'secret text' }) }));
    server.answer({ json: { results: [{ index: 0, relevance_score: 0.5 }] } });
    await client.send(new sdk.InvokeModelCommand({ modelId: 'cohere.rerank-v3-5:0', body: JSON.stringify({ query: 'secret query', documents: ['a'], api_version: 2 }) }));
    const [llama, titan, rerank] = llmSpans(await tracing.spans());
    expect(llama.name).to.equal('chat meta.llama3-8b-instruct-v1:0');
    expect(stable(llama)).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'aws',
      'llm.system': 'amazon',
      'llm.model_name': 'meta.llama3-8b-instruct-v1:0',
      'llm.model': 'meta.llama3-8b-instruct-v1:0',
    });
    expect(titan.name).to.equal('embeddings amazon.titan-embed-text-v2:0');
    expect(stable(titan)).to.deep.equal({
      'openinference.span.kind': 'EMBEDDING',
      'llm.provider': 'aws',
      'llm.system': 'amazon',
      'embedding.model_name': 'amazon.titan-embed-text-v2:0',
      'llm.model': 'amazon.titan-embed-text-v2:0',
    });
    expect(rerank.name).to.equal('rerank cohere.rerank-v3-5:0');
    expect(stable(rerank)).to.deep.equal({
      'openinference.span.kind': 'RERANKER',
      'llm.provider': 'aws',
      'llm.system': 'amazon',
      'reranker.model_name': 'cohere.rerank-v3-5:0',
    });
  });

  it('InvokeModel error: ERROR with the SDK error class, the SDK error reaches the app', async () => {
    server.answer({ status: 429, json: { message: 'Rate exceeded' }, errorType: 'ThrottlingException' });
    const error = await client.send(new sdk.InvokeModelCommand({ modelId: CLAUDE, body: JSON.stringify(CLAUDE_REQUEST) })).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(sdk.ThrottlingException);
    const span = await onlySpan();
    expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'Rate exceeded' });
    expect(span.attributes['error.type']).to.equal('ThrottlingException');
  });

  it('stream, Anthropic: the Messages events assembled from the chunks', async () => {
    server.answer({ events: anthropicChunks() });
    const output = await client.send(new sdk.InvokeModelWithResponseStreamCommand({ modelId: CLAUDE, body: JSON.stringify(CLAUDE_REQUEST) }));
    const types: string[] = [];
    for await (const event of output.body!) types.push(decodeJson(event.chunk!.bytes!).type);
    expect(types).to.deep.equal(['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes).to.deep.include({
      'llm.system': 'anthropic',
      'llm.model_name': 'claude-3-5-haiku-20241022',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Bonjour',
      'llm.token_count.prompt': 15,
      'llm.token_count.completion': 6,
      'llm.token_count.total': 21,
      'llm.finish_reason': 'end_turn',
    });
    expect(server.requests.at(-1)!.path).to.equal(`/model/${CLAUDE}/invoke-with-response-stream`);
  });

  it('stream, Nova: the Converse events assembled from the chunks', async () => {
    server.answer({ events: novaChunks() });
    const body = { schemaVersion: 'messages-v1', messages: [{ role: 'user', content: [{ text: 'Hi' }] }] };
    const output = await client.send(new sdk.InvokeModelWithResponseStreamCommand({ modelId: NOVA, body: JSON.stringify(body) }));
    for await (const _ of output.body!) void _;
    expect((await onlySpan()).attributes).to.deep.include({
      'llm.system': 'amazon',
      'llm.input_messages.0.message.content': 'Hi',
      'llm.output_messages.0.message.content': 'Hi there',
      'llm.token_count.prompt': 6,
      'llm.token_count.completion': 2,
      'llm.finish_reason': 'end_turn',
    });
  });

  it("stream, another model: no content, token counts from Bedrock's invocation metrics", async () => {
    server.answer({ events: llamaChunks() });
    const output = await client.send(new sdk.InvokeModelWithResponseStreamCommand({ modelId: 'meta.llama3-8b-instruct-v1:0', body: JSON.stringify({ prompt: 'hi' }) }));
    for await (const _ of output.body!) void _;
    const span = await onlySpan();
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'aws',
      'llm.system': 'amazon',
      'llm.model_name': 'meta.llama3-8b-instruct-v1:0',
      'llm.model': 'meta.llama3-8b-instruct-v1:0',
      'llm.token_count.prompt': 5,
      'llm.token_count.completion': 2,
      'llm.token_count.total': 7,
      'llm.prompt_tokens': 5,
      'llm.completion_tokens': 2,
      // meta.llama3-8b-instruct-v1:0, per million: 0.30 input, 0.60 output. 5 × 0.3 / 1e6, 2 × 0.6 / 1e6.
      'llm.cost.prompt': 0.0000015,
      'llm.cost.completion': 0.0000012,
      'llm.cost.total': 0.0000027,
    });
  });

  it("stream, another model: an absurd invocation-metrics count is left out (the record's one check), the sane one kept", async () => {
    server.answer({ events: llamaChunks({ inputTokenCount: 4e15, outputTokenCount: 2 }) });
    const output = await client.send(new sdk.InvokeModelWithResponseStreamCommand({ modelId: 'meta.llama3-8b-instruct-v1:0', body: JSON.stringify({ prompt: 'hi' }) }));
    for await (const _ of output.body!) void _;
    const attributes = stable(await onlySpan());
    expect(attributes).to.include({ 'llm.token_count.completion': 2, 'llm.completion_tokens': 2 });
    expect(attributes).to.not.have.any.keys('llm.token_count.prompt', 'llm.prompt_tokens', 'llm.token_count.total');
  });

  it('stream: break ends the span as abandoned with the partial text', async () => {
    server.answer({ events: anthropicChunks(), delayMs: 5 });
    const output = await client.send(new sdk.InvokeModelWithResponseStreamCommand({ modelId: CLAUDE, body: JSON.stringify(CLAUDE_REQUEST) }));
    let n = 0;
    for await (const _ of output.body!) if (++n === 3) break;
    const span = await onlySpan();
    expectAbandoned(span, 'Bon');
    expect(span.attributes['llm.token_count.prompt']).to.equal(15);
  });

  it('stream: an exception event (modelStreamErrorException) ends the span ERROR with its SDK class', async () => {
    const events = anthropicChunks().slice(0, 3);
    events.push({ type: 'modelStreamErrorException', exception: true, body: { message: 'Model failed', originalStatusCode: 500 } });
    server.answer({ events });
    const output = await client.send(new sdk.InvokeModelWithResponseStreamCommand({ modelId: CLAUDE, body: JSON.stringify(CLAUDE_REQUEST) }));
    const caught = await (async () => {
      for await (const _ of output.body!) void _;
    })().catch((e: unknown) => e);
    expect(caught).to.be.instanceOf(sdk.ModelStreamErrorException);
    const span = await onlySpan();
    expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'Model failed' });
    expect(span.attributes['error.type']).to.equal('ModelStreamErrorException');
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Bon');
  });

  it('stream: a dropped connection ends the span with the partial output', async () => {
    server.answer({ events: anthropicChunks(), dropAfter: 4, drop: 'reset' });
    const output = await client.send(new sdk.InvokeModelWithResponseStreamCommand({ modelId: CLAUDE, body: JSON.stringify(CLAUDE_REQUEST) }));
    const caught = await (async () => {
      for await (const _ of output.body!) void _;
    })().catch((e: unknown) => e);
    const span = await onlySpan();
    expect(span.ended).to.equal(true);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Bonjour');
    expect(span.attributes['llm.finish_reason']).to.equal(undefined);
    expect(span.status.code).to.equal(caught === undefined ? SpanStatusCode.OK : SpanStatusCode.ERROR);
  });
});
