import { expect } from 'chai';
import type { ClientsFakes } from './clients-fakes';
import { ExportedSpan, treeOf } from './agents-expectations';

/** A span as the clients apps print it (fixtures/clients/setup.cjs): an agents-app span with its SpanKind. */
export interface ClientSpan extends ExportedSpan {
  kind: number;
}
export interface ClientsRun {
  results: Record<string, unknown>;
  stillOpen: string[];
}

const KIND = 'openinference.span.kind';
const OK = 1;
const ERROR = 2;
const CLIENT = 2;
const INTERNAL = 0;
/** Every secret the app handed a client; none may reach a span. */
const SECRETS = ['hf_lines_secret_token', 'sk-llamaindex-lines', 'tg-lines', 'r8_lines', 'pc-lines', 'ya29.lines', 'AKIALINES'];

/** What each call answered (the fixtures' texts, ids and counts): the app got its results untouched. */
const RESULTS = {
  vertexClaude: 'Hello there!', vertexClaudeStream: 'Hi there', bedrock: 'Hello there!', bedrockStreamEvents: 7,
  together: 'Hello from Together!', togetherStream: 'Hello!', gemini: 'Hello there!', geminiStream: 'Once upon a time.',
  replicate: 'Hello there!', replicateStream: 'Once upon a time.',
  hfChat: 'Hello from Llama!', hfStream: 'Let me check.', hfGenerated: ' a quick brown fox.', hfVectors: 2, hfTogether: 'Hello from Llama!',
  hf429: 'InferenceClientProviderApiError',
  pinecone: ['doc-1', 'doc-2'], qdrant: [7, 'a1b2c3d4-0000-4000-8000-000000000001'], chroma: ['c1', 'c2'],
  llamaindex: 'Infinium traces calls.',
};

const CLAUDE_SDK_SPAN = '    anthropic.messages.create';
/** The `providers` trace: one span of ours per request; Claude's SDKs put their own span under ours. */
const PROVIDERS_TREE = [
  'providers',
  '  chat claude-sonnet-4-5@20250929 [LLM]', CLAUDE_SDK_SPAN,
  '  chat claude-sonnet-4-5@20250929 [LLM]', CLAUDE_SDK_SPAN,
  '  chat anthropic.claude-sonnet-4-5-20250929-v1:0 [LLM]', CLAUDE_SDK_SPAN,
  '  chat anthropic.claude-sonnet-4-5-20250929-v1:0 [LLM]', CLAUDE_SDK_SPAN,
  '  chat meta-llama/Llama-3.3-70B-Instruct-Turbo [LLM]',
  '  chat meta-llama/Llama-3.3-70B-Instruct-Turbo [LLM]',
  '  generate_content gemini-2.0-flash [LLM]',
  '  generate_content gemini-2.0-flash [LLM]',
  '  generate_content meta/meta-llama-3-8b-instruct [LLM]',
  '  generate_content meta/meta-llama-3-8b-instruct [LLM]',
  '  chat tgi [LLM]',
  '  chat tgi [LLM]',
  '  text_completion tgi [LLM]',
  '  embeddings [EMBEDDING]',
  '  chat meta-llama/Llama-3.3-70B-Instruct [LLM]',
];

/** Our model spans in start order: name, SpanKind, status, llm.system, llm.provider, gen_ai.provider.name, llm.model_name, tokens. */
const MODEL_SPANS = [
  // Claude on Vertex (create, stream), then on Bedrock (create, event stream): Anthropic's system, the cloud as provider.
  ['chat claude-sonnet-4-5@20250929', CLIENT, OK, 'anthropic', 'google', 'gcp.vertex_ai', 'claude-sonnet-4-5-20250929', 312, 9, 321],
  ['chat claude-sonnet-4-5@20250929', CLIENT, OK, 'anthropic', 'google', 'gcp.vertex_ai', 'claude-sonnet-4-6-20260217', 7, 3, 10],
  ['chat anthropic.claude-sonnet-4-5-20250929-v1:0', CLIENT, OK, 'anthropic', 'aws', 'aws.bedrock', 'claude-sonnet-4-5-20250929', 312, 9, 321],
  ['chat anthropic.claude-sonnet-4-5-20250929-v1:0', CLIENT, OK, 'anthropic', 'aws', 'aws.bedrock', 'claude-sonnet-4-6-20260217', 7, 3, 10],
  ['chat meta-llama/Llama-3.3-70B-Instruct-Turbo', CLIENT, OK, 'openai', 'together', 'together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 14, 5, 19],
  ['chat meta-llama/Llama-3.3-70B-Instruct-Turbo', CLIENT, OK, 'openai', 'together', 'together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 11, 2, 13],
  ['generate_content gemini-2.0-flash', CLIENT, OK, 'vertexai', 'google', 'gcp.vertex_ai', 'gemini-2.0-flash-001', 12, 5, 17],
  ['generate_content gemini-2.0-flash', CLIENT, OK, 'vertexai', 'google', 'gcp.vertex_ai', 'gemini-2.0-flash', 9, 4, 13],
  // Replicate's run() waits for the finished prediction (its metrics give the tokens); stream() reads the events of a
  // prediction created `starting`, which reports no tokens.
  ['generate_content meta/meta-llama-3-8b-instruct', CLIENT, OK, 'replicate', 'replicate', 'replicate', 'meta/meta-llama-3-8b-instruct', 12, 5, 17],
  ['generate_content meta/meta-llama-3-8b-instruct', CLIENT, OK, 'replicate', 'replicate', 'replicate', 'meta/meta-llama-3-8b-instruct', undefined, undefined, undefined],
  ['chat tgi', CLIENT, OK, 'huggingface', 'hf-inference', 'hf-inference', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 21, 6, 27],
  ['chat tgi', CLIENT, OK, 'huggingface', 'hf-inference', 'hf-inference', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 30, 13, 43],
  ['text_completion tgi', CLIENT, OK, 'huggingface', 'hf-inference', 'hf-inference', 'tgi', 5, 8, 13],
  ['embeddings', CLIENT, OK, 'huggingface', 'hf-inference', 'hf-inference', undefined, undefined, undefined, undefined],
  ['chat meta-llama/Llama-3.3-70B-Instruct', CLIENT, OK, 'huggingface', 'together', 'together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 21, 6, 27],
  ['chat tgi', CLIENT, ERROR, 'huggingface', 'hf-inference', 'hf-inference', 'tgi', undefined, undefined, undefined],
];
const MODEL_KEYS = ['llm.system', 'llm.provider', 'gen_ai.provider.name', 'llm.model_name', 'llm.token_count.prompt', 'llm.token_count.completion', 'llm.token_count.total'];

const startOf = (s: ExportedSpan) => s.start[0] * 1e9 + s.start[1];
const pick = (s: ExportedSpan, keys: string[]) => keys.map((k) => s.attributes[k]);

/** The app's traces by the name of their root, each trace's spans in start order. */
function traces(spans: ClientSpan[]): Map<string, ClientSpan[]> {
  const byTrace = new Map<string, ClientSpan[]>();
  for (const s of [...spans].sort((a, b) => startOf(a) - startOf(b))) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
  return new Map([...byTrace.values()].map((trace) => [trace.find((s) => s.parentId === null)?.name ?? 'no root', trace]));
}

/** One run of fixtures/clients/calls.cjs, exactly. */
export function expectClientsRun({ spans, run }: { spans: ClientSpan[]; run: ClientsRun }, fakes: ClientsFakes): void {
  expect(run.results).to.deep.equal(RESULTS);
  expect(run.stillOpen, 'spans still open when the calls were done').to.deep.equal([]);
  const json = JSON.stringify(spans);
  expect(SECRETS.filter((secret) => json.includes(secret)), 'secrets in the spans').to.deep.equal([]);
  const byRoot = traces(spans);
  // LlamaIndex embeds the three documents while the index is built, before the app's `llamaindex` span.
  expect([...byRoot.keys()]).to.deep.equal(['providers', 'stores', 'embeddings text-embedding-3-small', 'llamaindex']);
  expectProviders(byRoot.get('providers')!);
  expectStores(byRoot.get('stores')!, Number(new URL(fakes.stores.origin).port));
  expectLlamaIndex(byRoot.get('llamaindex')!, byRoot.get('embeddings text-embedding-3-small')!);
}

function expectProviders(trace: ClientSpan[]): void {
  const failed = trace.filter((s) => s.status === ERROR);
  // treeOf takes a trace without errors: the one failed request (HTTP 429) is checked on its own.
  expect(treeOf(trace.filter((s) => s.status !== ERROR))).to.deep.equal(PROVIDERS_TREE);
  const ours = trace.filter((s) => s.scope === '@infinium/otel');
  expect(ours.map((s) => [s.name, s.kind, s.status.valueOf(), ...pick(s, MODEL_KEYS)])).to.deep.equal(MODEL_SPANS);
  const root = trace.find((s) => s.parentId === null)!;
  expect(failed.map((s) => [s.parentId, s.attributes[KIND], s.attributes['error.type']])).to.deep.equal([[root.id, 'LLM', 'InferenceClientProviderApiError']]);
  const embedding = ours.find((s) => s.attributes[KIND] === 'EMBEDDING')!;
  expect(pick(embedding, ['embedding.embeddings.0.embedding.text', 'embedding.embeddings.0.embedding.vector', 'embedding.embeddings.1.embedding.text', 'embedding.embeddings.1.embedding.vector']))
    .to.deep.equal(['a', [0.125, -0.5, 0.75], 'b', [0.25, 0.5, -0.125]]);
  // The processor's roll-up on the app's span: the fifteen LLM spans (the 429 one too; the embedding is no LLM call).
  expect(pick(root, ['infinium.service', 'infinium.llm_call_count'])).to.deep.equal(['clients-app', 15]);
}

/** A query of each store under no framework: one RETRIEVER CLIENT span each, the db.* keys and the documents. */
function expectStores(trace: ClientSpan[], port: number): void {
  expect(treeOf(trace)).to.deep.equal(['stores', '  query products [RETRIEVER]', '  search docs [RETRIEVER]', '  query notes [RETRIEVER]']);
  const [pinecone, qdrant, chroma] = trace.filter((s) => s.attributes[KIND] === 'RETRIEVER');
  const db = (system: string, operation: string, collection: string) => ({
    'openinference.span.kind': 'RETRIEVER', 'db.system.name': system, 'db.operation.name': operation, 'db.collection.name': collection,
    'db.query.summary': `${operation} ${collection}`, 'server.address': '127.0.0.1', 'server.port': port, 'db.vector.query.top_k': 2, 'db.response.returned_rows': 2,
    'gen_ai.operation.name': 'retrieval',
  });
  const genAiDocuments = (documents: Array<[string, number]>) => JSON.stringify(documents.map(([id, score]) => ({ id, score })));
  expect([pinecone, qdrant, chroma].map((s) => [s.kind, s.status])).to.deep.equal([[CLIENT, 0], [CLIENT, 0], [CLIENT, 0]]);
  expect(pinecone.attributes).to.deep.equal({
    ...db('pinecone', 'query', 'products'), 'infinium.retrieval.query_vector_dimensions': 3,
    'retrieval.documents.0.document.id': 'doc-1', 'retrieval.documents.0.document.metadata': '{"text":"Paris is the capital of France.","source":"wiki"}', 'retrieval.documents.0.document.score': 0.92,
    'retrieval.documents.1.document.id': 'doc-2', 'retrieval.documents.1.document.metadata': '{"text":"Lyon is in France."}', 'retrieval.documents.1.document.score': 0.81,
    'gen_ai.retrieval.documents': genAiDocuments([['doc-1', 0.92], ['doc-2', 0.81]]),
  });
  expect(qdrant.attributes).to.deep.equal({
    ...db('qdrant', 'search', 'docs'), 'infinium.retrieval.query_vector_dimensions': 3,
    'retrieval.documents.0.document.id': '7', 'retrieval.documents.0.document.metadata': '{"page_content":"Qdrant is a vector database.","lang":"en"}', 'retrieval.documents.0.document.score': 0.88,
    'retrieval.documents.1.document.id': 'a1b2c3d4-0000-4000-8000-000000000001', 'retrieval.documents.1.document.score': 0.5,
    'gen_ai.retrieval.documents': genAiDocuments([['7', 0.88], ['a1b2c3d4-0000-4000-8000-000000000001', 0.5]]),
  });
  expect(chroma.attributes).to.deep.equal({
    ...db('chroma', 'query', 'notes'), 'input.value': 'documents', 'input.mime_type': 'text/plain',
    'retrieval.documents.0.document.id': 'c1', 'retrieval.documents.0.document.content': 'Chroma stores documents.', 'retrieval.documents.0.document.metadata': '{"topic":"db"}', 'retrieval.documents.0.document.score': 0.12,
    'retrieval.documents.1.document.id': 'c2', 'retrieval.documents.1.document.content': 'Embeddings live here.', 'retrieval.documents.1.document.score': 0.4,
    'gen_ai.retrieval.query.text': 'documents', 'gen_ai.retrieval.documents': genAiDocuments([['c1', 0.12], ['c2', 0.4]]),
  });
}

/** The query engine: CHAIN > RETRIEVER (its query embedded) and the one LLM call; the OpenAI client LlamaIndex import()ed is traced. */
function expectLlamaIndex(trace: ClientSpan[], build: ClientSpan[]): void {
  expect(treeOf(build)).to.deep.equal(['embeddings text-embedding-3-small [EMBEDDING]']);
  expect(treeOf(trace)).to.deep.equal([
    'llamaindex',
    '  RetrieverQueryEngine [CHAIN]',
    '    VectorIndexRetriever [RETRIEVER]',
    '      embeddings text-embedding-3-small [EMBEDDING]',
    '    chat gpt-4o-mini [LLM]',
  ]);
  const named = (name: string) => trace.find((s) => s.name === name)!;
  expect(pick(named('RetrieverQueryEngine'), ['input.value', 'output.value'])).to.deep.equal(['What does Infinium do?', 'Infinium traces calls.']);
  expect(named('RetrieverQueryEngine').kind).to.equal(INTERNAL);
  expect(named('llamaindex').attributes['infinium.llm_call_count'], 'one model call in the query').to.equal(1);
  expect(pick(named('VectorIndexRetriever'), [0, 1].flatMap((i) => ['content', 'score'].map((k) => `retrieval.documents.${i}.document.${k}`))))
    .to.deep.equal(['Infinium traces LLM calls.', 1, 'Infinium exports spans over OTLP.', 0.6]);
  expect(named('VectorIndexRetriever').attributes['retrieval.documents.2.document.id']).to.equal(undefined);
  // The OpenAI client behind a local base URL: OpenAI's API, an OpenAI-compatible provider.
  expect([named('chat gpt-4o-mini').kind, ...pick(named('chat gpt-4o-mini'), MODEL_KEYS), named('chat gpt-4o-mini').attributes['output.value']])
    .to.deep.equal([CLIENT, 'openai', 'openai-compatible', 'openai-compatible', 'gpt-4o-mini-2024-07-18', 19, 10, 29, 'Infinium traces calls.']);
  expect(pick(named('embeddings text-embedding-3-small'), ['llm.token_count.prompt', 'llm.token_count.total'])).to.deep.equal([8, 8]);
}
