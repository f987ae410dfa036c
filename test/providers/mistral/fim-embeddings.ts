import { expect } from 'chai';
import { embeddingsResponse, fimResponse } from './fixtures';
import type { MistralSuite } from './suite-context';

/** The calls beside chat: `fim.complete` (a text completion) and `embeddings.create`. */
export function fimEmbeddingsTests(suite: MistralSuite): void {
  const { tracing, onlySpan } = suite;

  it('fim.complete: a text_completion span with the prompt; the suffix is not recorded', async () => {
    suite.server.reply({ json: fimResponse() });
    const result: any = await tracing.inParent('agent', () => suite.client.fim.complete({ model: 'codestral-latest', prompt: 'def add(a, b):\n', suffix: 'print(add(1, 2))', temperature: 0 }));
    expect(result.choices[0].message.content).to.equal('    return a + b');
    expect(suite.server.requests.at(-1)!.path).to.equal('/v1/fim/completions');
    const span = await onlySpan();
    expect(span.name).to.equal('text_completion codestral-latest');
    const { 'llm.latency_ms': _latency, ...rest } = span.attributes;
    expect(rest).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'mistralai',
      'llm.system': 'mistralai',
      'llm.model_name': 'mistral-small-latest',
      'llm.model': 'mistral-small-latest',
      'llm.temperature': 0,
      'llm.invocation_parameters': '{"model":"codestral-latest","temperature":0}',
      'llm.prompts': ['def add(a, b):\n'],
      'input.value': 'def add(a, b):\n',
      'input.mime_type': 'text/plain',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': '    return a + b',
      'output.value': '    return a + b',
      'output.mime_type': 'text/plain',
      'llm.token_count.prompt': 17,
      'llm.token_count.completion': 8,
      'llm.token_count.total': 25,
      'llm.prompt_tokens': 17,
      'llm.completion_tokens': 8,
      // Priced as the model the response names (mistral-small-latest, 0.10 / 0.30 per million).
      'llm.cost.prompt': 0.0000017,
      'llm.cost.completion': 0.0000024,
      'llm.cost.total': 0.0000041,
      'llm.finish_reason': 'length',
    });
  });

  it('embeddings.create: an EMBEDDING span with texts, vectors and usage', async () => {
    suite.server.reply({ json: embeddingsResponse() });
    const result: any = await tracing.inParent('agent', () => suite.client.embeddings.create({ model: 'mistral-embed', inputs: ['alpha', 'beta'] }));
    expect(result.data).to.have.length(2);
    const span = await onlySpan();
    expect(span.name).to.equal('embeddings mistral-embed');
    const { 'llm.latency_ms': _latency, ...rest } = span.attributes;
    expect(rest).to.deep.equal({
      'openinference.span.kind': 'EMBEDDING',
      'llm.provider': 'mistralai',
      'llm.system': 'mistralai',
      'embedding.model_name': 'mistral-embed',
      'llm.model': 'mistral-embed',
      'llm.invocation_parameters': '{"model":"mistral-embed"}',
      'embedding.embeddings.0.embedding.text': 'alpha',
      'embedding.embeddings.0.embedding.vector': [0.5, -0.25],
      'embedding.embeddings.1.embedding.text': 'beta',
      'embedding.embeddings.1.embedding.vector': [0.125, 1],
      'input.value': '["alpha","beta"]',
      'input.mime_type': 'application/json',
      'llm.token_count.prompt': 6,
      'llm.token_count.completion': 0,
      'llm.token_count.total': 6,
      'llm.prompt_tokens': 6,
      'llm.completion_tokens': 0,
      // mistral-embed at 0.10 per million input tokens: 6 × 0.1 / 1e6; no completion.
      'llm.cost.prompt': 0.0000006,
      'llm.cost.completion': 0,
      'llm.cost.total': 0.0000006,
    });
  });
}
