import { expect } from 'chai';
import * as OISemconv from '@arizeai/openinference-semantic-conventions';
import * as Incubating from '@opentelemetry/semantic-conventions/incubating';
import { classifyKey, CONTENT_KEY_RULES } from '../../lib/masking/content-keys';
import { TREATMENTS } from '../../lib/masking/treatments';

/**
 * Every key the conventions packages export must be classified by a rule of the one table (content of some
 * kind, or explicitly not content). A new version of either package that adds a key fails here until the
 * table says what the key is.
 */

/** Exports of the OpenInference package that are values (kinds, mime types, vendors), not attribute keys. */
const VALUE_ENUMS = new Set(['OpenInferenceSpanKind', 'MimeType', 'LLMSystem', 'LLMProvider', 'AnnotatorKind']);

/** Every attribute key (or key fragment) the OpenInference package exports, with the export's name. */
function openInferenceKeys(): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [name, value] of Object.entries(OISemconv)) {
    if (typeof value === 'string') keys.set(value, name);
    else if (name === 'SemanticConventions') for (const [k, v] of Object.entries(value)) keys.set(v as string, `SemanticConventions.${k}`);
  }
  return keys;
}

/**
 * Key fragments only ever appear inside a list (a message, a document, an embedding): each is placed where
 * OpenInference puts it. Any other key is a key as it is.
 */
const IN = 'llm.input_messages.0.';
const OUT = 'llm.output_messages.0.';
const FRAGMENT_PLACES: ReadonlyArray<readonly [prefix: string, places: readonly string[]]> = [
  ['message.', [IN, OUT]],
  ['message_content.', [`${IN}message.contents.0.`, `${OUT}message.contents.0.`]],
  ['tool_call.', [`${IN}message.tool_calls.0.`, `${OUT}message.tool_calls.0.`]],
  ['document.', ['retrieval.documents.0.', 'reranker.input_documents.0.', 'reranker.output_documents.0.']],
  ['image.', [`${IN}message.contents.0.message_content.image.`, `${OUT}message.contents.0.message_content.image.`, 'input.images.0.', 'output.images.0.']],
  ['audio.', [`${IN}message.contents.0.message_content.audio.`, `${OUT}message.contents.0.message_content.audio.`]],
  ['video.', [`${IN}message.contents.0.message_content.video.`, `${OUT}message.contents.0.message_content.video.`]],
  ['embedding.text', ['embedding.embeddings.0.', '']],
  ['embedding.vector', ['embedding.embeddings.0.', '']],
  ['tool.', ['llm.tools.0.', '']],
];

function placed(key: string): string[] {
  for (const [prefix, places] of FRAGMENT_PLACES) if (key.startsWith(prefix)) return places.map((place) => place + key);
  return [key];
}

function unclassified(keys: Iterable<string>): string[] {
  return [...keys].filter((key) => classifyKey(key) === undefined);
}

describe('the one table of content keys', () => {
  it('classifies every key exported by @arizeai/openinference-semantic-conventions, placed where it is used', () => {
    const keys = openInferenceKeys();
    expect(keys.size).to.be.greaterThan(120);
    const all = [...keys.keys()].flatMap(placed);
    expect(unclassified(all), 'keys no rule classifies').to.deep.equal([]);
    // The package's other exports are key fragments or value enums, each accounted for.
    const others = Object.entries(OISemconv).filter(([name, v]) => typeof v !== 'string' && name !== 'SemanticConventions');
    for (const [name] of others) expect(VALUE_ENUMS.has(name) || name.endsWith('Postfixes') || name.endsWith('Prefixes'), name).to.equal(true);
  });

  it('classifies every gen_ai.* and mcp.* key of @opentelemetry/semantic-conventions/incubating', () => {
    const keys = Object.entries(Incubating)
      .filter(([name, v]) => name.startsWith('ATTR_') && typeof v === 'string' && /^(gen_ai|mcp)\./.test(v))
      .map(([, v]) => v as string);
    expect(keys.length).to.be.greaterThan(50);
    expect(unclassified(keys), 'keys no rule classifies').to.deep.equal([]);
    expect(keys.filter((k) => k.startsWith('mcp.')).map(classifyKey)).to.deep.equal(keys.filter((k) => k.startsWith('mcp.')).map(() => 'notContent'));
  });

  it('says what each content key of OpenInference is', () => {
    const expected: Record<string, string> = {
      'input.value': 'inputValue',
      'output.value': 'outputValue',
      'input.images.0.image.url': 'inputImage',
      'output.images.0.image.url': 'outputImage',
      'llm.input_messages.0.message.content': 'inputMessageText',
      'llm.input_messages.0.message.contents.1.message_content.text': 'inputMessageText',
      'llm.input_messages.0.message.tool_calls.0.tool_call.function.arguments': 'inputMessageText',
      'llm.input_messages.0.message.function_call_arguments_json': 'inputMessageText',
      'llm.input_messages.0.message.contents.0.message_content.image.image.url': 'inputMessageImage',
      'llm.input_messages.0.message.contents.0.message_content.audio.audio.url': 'inputMessageMedia',
      'llm.input_messages.0.message.contents.0.message_content.audio.audio.transcript': 'inputMessageText',
      'llm.output_messages.0.message.content': 'outputMessageText',
      'llm.output_messages.2.message.tool_calls.1.tool_call.function.arguments': 'outputMessageText',
      'llm.output_messages.0.message.contents.0.message_content.image.image.url': 'outputMessageMedia',
      'llm.tools.0.tool.json_schema': 'tools',
      'llm.invocation_parameters': 'invocationParameters',
      'llm.prompts': 'prompts',
      'llm.prompt_template.template': 'inputContent',
      'llm.prompt_template.variables': 'inputContent',
      'embedding.embeddings.3.embedding.text': 'embeddingText',
      'embedding.embeddings.3.embedding.vector': 'embeddingVector',
      'retrieval.documents.0.document.content': 'outputContent',
      'retrieval.documents.12.document.metadata': 'outputContent',
      'reranker.query': 'inputContent',
      'reranker.input_documents.0.document.content': 'inputContent',
      'reranker.input_documents.0.document.metadata': 'inputContent',
      'reranker.output_documents.0.document.content': 'outputContent',
      'tool.parameters': 'toolDefinitions',
      'tool.description': 'toolDefinitions',
    };
    for (const [key, category] of Object.entries(expected)) expect(classifyKey(key), key).to.equal(category);
  });

  it("says what other libraries' content keys are", () => {
    const expected: Record<string, string> = {
      'gen_ai.input.messages': 'inputContent',
      'gen_ai.system_instructions': 'inputContent',
      'gen_ai.tool.call.arguments': 'inputContent',
      'gen_ai.output.messages': 'outputContent',
      'gen_ai.tool.call.result': 'outputContent',
      'gen_ai.tool.definitions': 'toolDefinitions',
      'gen_ai.prompt.0.content': 'inputContent',
      'gen_ai.prompt.1.tool_calls.0.arguments': 'inputContent',
      'gen_ai.completion.0.content': 'outputContent',
      'gen_ai.completion.0.tool_calls.0.arguments': 'outputContent',
      'gen_ai.completion.0.function_call.arguments': 'outputContent',
      'traceloop.entity.input': 'inputContent',
      'traceloop.entity.output': 'outputContent',
      'ai.prompt': 'inputContent',
      'ai.prompt.messages': 'inputContent',
      'ai.prompt.tools': 'toolDefinitions',
      'ai.toolCall.args': 'inputContent',
      'ai.toolCall.result': 'outputContent',
      'ai.response.text': 'outputContent',
      'ai.response.toolCalls': 'outputContent',
      'ai.response.object': 'outputContent',
      'ai.response.reasoning': 'outputContent',
      'ai.values': 'embeddingText',
      'ai.embeddings': 'embeddingVector',
    };
    for (const [key, category] of Object.entries(expected)) expect(classifyKey(key), key).to.equal(category);
  });

  it('names, ids, URIs, roles, mime types, models and counts are not content (gen_ai.prompt.name above all)', () => {
    const keys = [
      'gen_ai.prompt.name', 'gen_ai.tool.name', 'gen_ai.tool.call.id', 'gen_ai.conversation.id', 'gen_ai.request.model',
      'gen_ai.usage.input_tokens', 'gen_ai.response.finish_reasons', 'gen_ai.prompt.0.role', 'gen_ai.completion.0.finish_reason',
      'gen_ai.completion.0.tool_calls.0.name', 'retrieval.documents.0.document.id', 'retrieval.documents.0.document.score',
      'reranker.output_documents.1.document.score', 'llm.token_count.prompt', 'llm.model_name', 'embedding.model_name',
      'session.id', 'user.id', 'prompt.id', 'prompt.url', 'tool.name', 'ai.response.model', 'ai.prompt.toolChoice',
    ];
    for (const key of keys) expect(classifyKey(key), key).to.equal('notContent');
    // Message structure is not text either: it goes only with the messages themselves.
    expect(classifyKey('llm.input_messages.0.message.role')).to.equal('inputMessageStructure');
    expect(classifyKey('llm.output_messages.0.message.tool_calls.0.tool_call.function.name')).to.equal('outputMessageStructure');
    expect(classifyKey('input.mime_type')).to.equal('inputMimeType');
  });

  it('credential headers, in any casing and under any prefix', () => {
    const keys = [
      'ai.request.headers.authorization', 'ai.request.headers.Authorization', 'http.request.header.authorization',
      'http.request.header.x-api-key', 'http.request.header.x_api_key', 'ai.request.headers.api-key', 'ai.request.headers.X-Api-Key',
      'http.request.header.x-goog-api-key', 'http.request.header.proxy-authorization', 'authorization',
    ];
    for (const key of keys) expect(classifyKey(key), key).to.equal('credential');
    // Any key that ends in one, as the docs say: a vendor's own header, an env-style name in metadata.
    for (const key of ['http.request.header.x-portkey-api-key', 'ai.request.headers.anthropic-api-key', 'metadata.OPENAI_API_KEY', 'ai.settings.apiKey', 'http.request.header.x-custom-authorization']) {
      expect(classifyKey(key), key).to.equal('credential');
    }
    // Not a credential: an id or name of one, or a word that only ends in the same letters.
    for (const key of ['foo.api_key_id', 'gen_ai.request.api_key_name', 'metadata.monkey', 'metadata.rapikey', 'llm.preauthorization']) {
      expect(classifyKey(key), key).to.not.equal('credential');
    }
    for (const key of ['http.request.header.content-type', 'ai.request.headers.x-request-id', 'llm.authorization_mode_count']) {
      expect(classifyKey(key), key).to.not.equal('credential');
    }
  });

  it('every rule names a kind that has a treatment, and every kind is used', () => {
    const used = new Set(CONTENT_KEY_RULES.map(([, category]) => category));
    used.add('credential');
    expect([...used].sort()).to.deep.equal(Object.keys(TREATMENTS).sort());
  });
});
