import { expect } from 'chai';
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import { createTracing } from '../helpers/tracing';

/**
 * Another library's span (a plain tracer of a real TracerProvider, as Arize's LangChain instrumentation or
 * the AI SDK write them) carrying every content key, through our processor configured by the environment:
 * under each variable the keys it covers come out hidden (their planted text nowhere on the span), and
 * every other key comes out exactly as it went in.
 *
 * The expectations are written out here, independently of lib/masking's table: which variable hides which key.
 */
const VARIABLES = {
  C: ['INFINIUM_CAPTURE_CONTENT', 'false'],
  I: ['OPENINFERENCE_HIDE_INPUTS', 'true'],
  O: ['OPENINFERENCE_HIDE_OUTPUTS', 'true'],
  IM: ['OPENINFERENCE_HIDE_INPUT_MESSAGES', 'true'],
  OM: ['OPENINFERENCE_HIDE_OUTPUT_MESSAGES', 'true'],
  II: ['OPENINFERENCE_HIDE_INPUT_IMAGES', 'true'],
  IT: ['OPENINFERENCE_HIDE_INPUT_TEXT', 'true'],
  OT: ['OPENINFERENCE_HIDE_OUTPUT_TEXT', 'true'],
  T: ['OPENINFERENCE_HIDE_LLM_TOOLS', 'true'],
  P: ['OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS', 'true'],
  PR: ['OPENINFERENCE_HIDE_PROMPTS', 'true'],
  CH: ['OPENINFERENCE_HIDE_CHOICES', 'true'],
  EV: ['OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS', 'true'],
  EV1: ['OPENINFERENCE_HIDE_EMBEDDING_VECTORS', 'true'],
  ET: ['OPENINFERENCE_HIDE_EMBEDDINGS_TEXT', 'true'],
} as const;
type Variable = keyof typeof VARIABLES;

const INPUT_TEXT: Variable[] = ['C', 'I', 'IM', 'IT'];
const OUTPUT_TEXT: Variable[] = ['C', 'O', 'OM', 'OT'];
const TOOL_DEFINITIONS: Variable[] = ['C', 'I', 'T'];

const plant = (key: string) => `PLANT<${key}>`;

/** Each content key, a value carrying its plant, and the variables that hide it. */
const CONTENT: ReadonlyArray<readonly [key: string, variables: Variable[], value?: AttributeValue]> = [
  ['input.value', ['C', 'I']],
  ['output.value', ['C', 'O']],
  ['llm.input_messages.0.message.content', INPUT_TEXT],
  ['llm.input_messages.1.message.contents.0.message_content.text', INPUT_TEXT],
  ['llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments', INPUT_TEXT],
  ['llm.input_messages.1.message.contents.1.message_content.image.image.url', ['C', 'I', 'IM', 'II']],
  ['input.images.0.image.url', ['C', 'I', 'II']],
  ['llm.output_messages.0.message.content', OUTPUT_TEXT],
  ['llm.output_messages.0.message.contents.0.message_content.text', OUTPUT_TEXT],
  ['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments', OUTPUT_TEXT],
  ['llm.output_messages.0.message.contents.1.message_content.image.image.url', ['C', 'O', 'OM']],
  ['output.images.0.image.url', ['C', 'O']],
  ['llm.tools.0.tool.json_schema', TOOL_DEFINITIONS, JSON.stringify({ type: 'function', function: { name: 'lookup', description: plant('tools') } })],
  ['llm.invocation_parameters', ['C', 'I', 'IT', 'P'], JSON.stringify({ model: 'm', temperature: 1, metadata: { note: plant('parameters') } })],
  ['llm.prompts', ['C', 'I', 'PR'], [plant('llm.prompts')]],
  ['llm.choices.0.text', ['C', 'O', 'CH']],
  ['llm.prompt_template.template', INPUT_TEXT],
  ['llm.prompt_template.variables', INPUT_TEXT],
  ['embedding.embeddings.0.embedding.text', [...INPUT_TEXT, 'ET']],
  ['embedding.embeddings.0.embedding.vector', ['C', 'EV', 'EV1'], [0.5, 0.25]],
  ['retrieval.documents.0.document.content', OUTPUT_TEXT],
  ['retrieval.documents.0.document.metadata', OUTPUT_TEXT],
  ['reranker.query', INPUT_TEXT],
  ['reranker.input_documents.0.document.content', INPUT_TEXT],
  ['reranker.input_documents.0.document.metadata', INPUT_TEXT],
  ['reranker.output_documents.0.document.content', OUTPUT_TEXT],
  ['tool.parameters', TOOL_DEFINITIONS],
  ['tool.description', TOOL_DEFINITIONS],
  ['gen_ai.input.messages', INPUT_TEXT],
  ['gen_ai.system_instructions', INPUT_TEXT],
  ['gen_ai.tool.call.arguments', INPUT_TEXT],
  ['gen_ai.output.messages', OUTPUT_TEXT],
  ['gen_ai.tool.call.result', OUTPUT_TEXT],
  ['gen_ai.tool.definitions', TOOL_DEFINITIONS],
  ['gen_ai.prompt.0.content', INPUT_TEXT],
  ['gen_ai.completion.0.content', OUTPUT_TEXT],
  ['gen_ai.completion.0.tool_calls.0.arguments', OUTPUT_TEXT],
  ['traceloop.entity.input', INPUT_TEXT],
  ['traceloop.entity.output', OUTPUT_TEXT],
  ['ai.prompt', INPUT_TEXT],
  ['ai.prompt.messages', INPUT_TEXT],
  ['ai.prompt.tools', TOOL_DEFINITIONS, [plant('ai.prompt.tools')]],
  ['ai.toolCall.args', INPUT_TEXT],
  ['ai.toolCall.result', OUTPUT_TEXT],
  ['ai.response.text', OUTPUT_TEXT],
  ['ai.response.toolCalls', OUTPUT_TEXT],
  ['ai.values', [...INPUT_TEXT, 'ET'], [plant('ai.values')]],
];

/** Keys that are not content: kept exactly, under every variable. */
const NOT_CONTENT: Attributes = {
  'gen_ai.prompt.name': 'weekly-report',
  'gen_ai.prompt.0.role': 'user',
  'gen_ai.completion.0.finish_reason': 'stop',
  'gen_ai.tool.name': 'lookup',
  'gen_ai.conversation.id': 'conv-1',
  'mcp.resource.uri': 'file:///notes.md',
  'retrieval.documents.0.document.id': 'doc-1',
  'retrieval.documents.0.document.score': 0.92,
  'reranker.model_name': 'rerank-v3.5',
  'embedding.model_name': 'text-embedding-3-small',
  'tool.name': 'lookup',
  'session.id': 's-1',
  'user.id': 'u-1',
  'llm.token_count.prompt': 12,
  'ai.response.model': 'gpt-4o-mini',
};

function attributesOfOtherLibrary(): Attributes {
  const attributes: Attributes = { 'openinference.span.kind': 'RETRIEVER', ...NOT_CONTENT };
  for (const [key, , value] of CONTENT) attributes[key] = value ?? plant(key);
  return attributes;
}

/** The span's attributes without the Infinium roll-up our processor adds to a root span. */
function withoutRollUp(attributes: Attributes): Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => !key.startsWith('infinium.')));
}

/** The span another library writes, ended through our processor configured by `env` (code options none). */
async function throughProcessor(env: Record<string, string>): Promise<ReadableSpan> {
  const saved = Object.keys(env).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, env);
  try {
    const tracing = createTracing([new InfiniumSpanProcessor()]);
    tracing.provider.getTracer('other-library', '1.0.0').startSpan('retrieve', { attributes: attributesOfOtherLibrary() }).end();
    const [span] = await tracing.spans();
    await tracing.provider.shutdown();
    return span;
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe("masking another library's span: every content key under every variable", () => {
  it('with no variable set, every key comes out exactly as it went in', async () => {
    const span = await throughProcessor({});
    expect(withoutRollUp(span.attributes)).to.deep.equal(attributesOfOtherLibrary());
  });

  for (const [short, [name, value]] of Object.entries(VARIABLES) as [Variable, readonly [string, string]][]) {
    it(`${name}=${value}: the keys it covers are hidden, their text nowhere; every other key is untouched`, async () => {
      const span = await throughProcessor({ [name]: value });
      const exported = JSON.stringify([span.attributes, span.events, span.status]);
      const original = attributesOfOtherLibrary();
      for (const [key, variables] of CONTENT) {
        if (variables.includes(short)) {
          expect(span.attributes[key], key).to.not.deep.equal(original[key]);
          expect(exported, key).to.not.contain(plant(key));
        } else {
          expect(span.attributes[key], key).to.deep.equal(original[key]);
        }
      }
      for (const [key, kept] of Object.entries(NOT_CONTENT)) expect(span.attributes[key], key).to.equal(kept);
    });
  }

  it('INFINIUM_CAPTURE_CONTENT=false: how each kind is hidden (redacted, left out, reduced)', async () => {
    const a = (await throughProcessor({ INFINIUM_CAPTURE_CONTENT: 'false' })).attributes;
    expect(a['retrieval.documents.0.document.content']).to.equal('__REDACTED__');
    expect(a['retrieval.documents.0.document.metadata']).to.equal('__REDACTED__');
    expect(a['reranker.query']).to.equal('__REDACTED__');
    expect(a['tool.parameters']).to.equal('__REDACTED__');
    expect(a['llm.input_messages.0.message.content']).to.equal('__REDACTED__');
    expect(a['llm.input_messages.1.message.contents.1.message_content.image.image.url']).to.equal(undefined);
    expect(a['embedding.embeddings.0.embedding.vector']).to.equal(undefined);
    expect(a['llm.tools.0.tool.json_schema']).to.equal('{"type":"function","function":{"name":"lookup"}}');
    expect(a['llm.invocation_parameters']).to.equal('{"model":"m","temperature":1}');
  });
});

describe("masking another library's span in a NodeSDK", () => {
  it('INFINIUM_CAPTURE_CONTENT=false: a RETRIEVER span (as Arize LangChain writes it) keeps no document text', async () => {
    process.env.INFINIUM_CAPTURE_CONTENT = 'false';
    const exporter = new InMemorySpanExporter();
    const sdk = new NodeSDK({
      resource: resourceFromAttributes({ 'service.name': 'rag' }),
      resourceDetectors: [],
      contextManager: null as never,
      textMapPropagator: null,
      metricReaders: [],
      logRecordProcessors: [],
      spanProcessors: [new InfiniumSpanProcessor(), new SimpleSpanProcessor({ exporter })],
    });
    try {
      sdk.start();
      const { trace } = await import('@opentelemetry/api');
      const span = trace.getTracer('@arizeai/openinference-instrumentation-langchain', '4.0.0').startSpan('VectorStoreRetriever', {
        attributes: {
          'openinference.span.kind': 'RETRIEVER',
          'input.value': 'what did Ann say about the merger?',
          'retrieval.documents.0.document.content': 'Ann: the merger closes in May',
          'retrieval.documents.0.document.metadata': '{"source":"ann-notes.txt"}',
          'retrieval.documents.0.document.id': 'd1',
          'retrieval.documents.0.document.score': 0.8,
        },
      });
      span.end();
      await sdk['_tracerProvider'].forceFlush();
      const [exported] = exporter.getFinishedSpans();
      expect(withoutRollUp(exported.attributes)).to.deep.equal({
        'openinference.span.kind': 'RETRIEVER',
        'input.value': '__REDACTED__',
        'retrieval.documents.0.document.content': '__REDACTED__',
        'retrieval.documents.0.document.metadata': '__REDACTED__',
        'retrieval.documents.0.document.id': 'd1',
        'retrieval.documents.0.document.score': 0.8,
      });
    } finally {
      delete process.env.INFINIUM_CAPTURE_CONTENT;
      await sdk.shutdown();
      (await import('@opentelemetry/api')).trace.disable();
    }
  });
});
