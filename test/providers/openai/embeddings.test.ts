import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { llmSpans, onlyChildSpan } from '../../helpers/tracing';
import { expectBadRequest, useOpenAISuite } from './client';
import { readVector } from '../../../lib/providers/openai/embeddings';
import { embeddingList, float32Base64 } from './fixtures';

describe('openai embeddings.create', () => {
  const suite = useOpenAISuite();
  const { tracing } = suite;

  it('records an EMBEDDING span with the text and the vector the SDK decoded from its default base64', async () => {
    suite.server.reply({ json: embeddingList([float32Base64([0.5, -1.25])]) });
    const result = await tracing.inParent('agent', () =>
      suite.client.embeddings.create({ model: 'text-embedding-3-small', input: 'The quick brown fox' }),
    );
    // The SDK asked for base64 on its own and handed the app numbers.
    expect(suite.server.requests.at(-1)!.body.encoding_format).to.equal('base64');
    expect(result.data[0].embedding).to.deep.equal([0.5, -1.25]);
    const span = await onlyChildSpan(tracing, 'embeddings text-embedding-3-small');
    const a = span.attributes;
    expect(a['openinference.span.kind']).to.equal('EMBEDDING');
    expect(a['llm.provider']).to.equal('openai');
    expect(a['llm.system']).to.equal('openai');
    expect(a['embedding.model_name']).to.equal('text-embedding-3-small');
    expect(a['llm.model_name']).to.equal(undefined);
    expect(a['llm.model']).to.equal('text-embedding-3-small');
    expect(Object.keys(a).filter((k) => k.startsWith('embedding.embeddings.')).sort()).to.deep.equal([
      'embedding.embeddings.0.embedding.text',
      'embedding.embeddings.0.embedding.vector',
    ]);
    expect(a['embedding.embeddings.0.embedding.text']).to.equal('The quick brown fox');
    expect(a['embedding.embeddings.0.embedding.vector']).to.deep.equal([0.5, -1.25]);
    expect(a['input.value']).to.equal('The quick brown fox');
    // The app's own parameters only: the SDK's default encoding_format is not the app's choice.
    expect(JSON.parse(a['llm.invocation_parameters'] as string)).to.deep.equal({ model: 'text-embedding-3-small' });
    expect(a['llm.token_count.prompt']).to.equal(8);
    expect(a['llm.token_count.total']).to.equal(8);
    expect(a['llm.token_count.completion']).to.equal(undefined);
  });

  it("decodes base64 vectors itself when the app asked for encoding_format 'base64', leaving the app's data alone", async () => {
    const encoded = [float32Base64([0.5, -1.25]), float32Base64([3, 0.125, -2])];
    suite.server.reply({ json: embeddingList(encoded) });
    const result = await suite.client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'base64' });
    expect(result.data.map((d) => d.embedding)).to.deep.equal(encoded);
    const [span] = llmSpans(await tracing.spans());
    const a = span.attributes;
    expect(a['embedding.embeddings.0.embedding.text']).to.equal('a');
    expect(a['embedding.embeddings.0.embedding.vector']).to.deep.equal([0.5, -1.25]);
    expect(a['embedding.embeddings.1.embedding.text']).to.equal('b');
    expect(a['embedding.embeddings.1.embedding.vector']).to.deep.equal([3, 0.125, -2]);
    expect(a['input.value']).to.equal('["a","b"]');
    expect(JSON.parse(a['llm.invocation_parameters'] as string)).to.deep.equal({ model: 'text-embedding-3-small', encoding_format: 'base64' });
  });

  it("records float vectors as they are with encoding_format 'float', placed by their index", async () => {
    suite.server.reply({
      json: {
        object: 'list',
        data: [
          { object: 'embedding', index: 1, embedding: [0.25] },
          { object: 'embedding', index: 0, embedding: [-0.75] },
        ],
        model: 'text-embedding-3-large',
        usage: { prompt_tokens: 2, total_tokens: 2 },
      },
    });
    await suite.client.embeddings.create({ model: 'text-embedding-3-large', input: ['x', 'y'], encoding_format: 'float', dimensions: 1 });
    const [span] = llmSpans(await tracing.spans());
    const a = span.attributes;
    expect(a['embedding.embeddings.0.embedding.text']).to.equal('x');
    expect(a['embedding.embeddings.0.embedding.vector']).to.deep.equal([-0.75]);
    expect(a['embedding.embeddings.1.embedding.text']).to.equal('y');
    expect(a['embedding.embeddings.1.embedding.vector']).to.deep.equal([0.25]);
    expect(a['embedding.model_name']).to.equal('text-embedding-3-large');
  });

  it('token-id inputs record the vectors but no text', async () => {
    suite.server.reply({ json: embeddingList([float32Base64([1]), float32Base64([-1])]) });
    await suite.client.embeddings.create({ model: 'text-embedding-3-small', input: [[1, 2], [3]] });
    const [span] = llmSpans(await tracing.spans());
    const a = span.attributes;
    expect(Object.keys(a).filter((k) => k.startsWith('embedding.embeddings.')).sort()).to.deep.equal([
      'embedding.embeddings.0.embedding.vector',
      'embedding.embeddings.1.embedding.vector',
    ]);
    expect(a['embedding.embeddings.0.embedding.vector']).to.deep.equal([1]);
    expect(a['embedding.embeddings.1.embedding.vector']).to.deep.equal([-1]);
    expect(a['input.value']).to.equal(undefined);
  });

  it('a malformed body reaches the app unchanged and the span still ends OK with what could be read', async () => {
    const body = { object: 'list', data: [{ index: 1e9, embedding: [1, 'x'] }, { index: 1e9, embedding: [2] }, 'junk'], model: 42, usage: 'none' };
    suite.server.reply({ json: body });
    const result = await suite.client.embeddings.create({ model: 'text-embedding-3-small', input: 'a', encoding_format: 'float' });
    expect(result).to.deep.equal(body);
    const [span] = llmSpans(await tracing.spans());
    const a = span.attributes;
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(a['embedding.model_name']).to.equal('text-embedding-3-small');
    expect(a['embedding.embeddings.0.embedding.text']).to.equal('a');
    expect(a['embedding.embeddings.0.embedding.vector']).to.equal(undefined);
    // The out-of-range index falls back to the item's position.
    expect(a['embedding.embeddings.1.embedding.vector']).to.deep.equal([2]);
    expect(a['llm.token_count.prompt']).to.equal(undefined);
  });

  it('fails with ERROR, error.type and the same error object on HTTP 400', async () => {
    suite.server.reply({ status: 400, json: { error: { message: 'Input too long', type: 'invalid_request_error', param: 'input', code: null } } });
    const span = await expectBadRequest(suite, suite.client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }));
    expect(span.attributes['openinference.span.kind']).to.equal('EMBEDDING');
  });

  describe('readVector', () => {
    it('decodes little-endian float32 base64 exactly and rejects malformed input', () => {
      expect(readVector(float32Base64([0.5, -1.25, 1e-3]))).to.deep.equal([0.5, -1.25, Math.fround(1e-3)]);
      expect(readVector('AAA=')).to.equal(undefined); // 2 bytes: not a whole float
      expect(readVector([1, 'x'])).to.equal(undefined);
      expect(readVector(null)).to.equal(undefined);
      expect(readVector('')).to.deep.equal([]);
    });
  });
});
