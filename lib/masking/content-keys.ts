import type { Category } from './treatments';

/**
 * The one table of attribute keys: every key the masking knows, as a pattern, and its kind (treatments.ts
 * says what each kind becomes under each setting). The first pattern that matches wins, so within a root the
 * specific patterns (a message's role) come before the general ones (the rest of a message is its text).
 *
 * Patterns: `.`-separated segments; `#` is an index (digits), `*` any one segment, `{a,b}` either
 * alternative (which may hold dots), and a final `.**` the key itself or anything under it. A key no pattern
 * matches is not content (test/masking/content-keys.test.ts fails on any OpenInference or GenAI key that
 * no pattern classifies).
 */
export const CONTENT_KEY_RULES: ReadonlyArray<readonly [pattern: string, category: Category]> = [
  // OpenInference: span input and output
  ['input.value', 'inputValue'],
  ['input.mime_type', 'inputMimeType'],
  ['input.images.**', 'inputImage'],
  ['output.value', 'outputValue'],
  ['output.mime_type', 'outputMimeType'],
  ['output.images.**', 'outputImage'],
  // OpenInference: messages (a part's text, tool-call arguments, signatures, transcripts are text)
  ['llm.input_messages.#.message.{role,name,tool_call_id,function_call_name}', 'inputMessageStructure'],
  ['llm.input_messages.#.message.tool_calls.#.tool_call.{id,function.name}', 'inputMessageStructure'],
  ['llm.input_messages.#.message.contents.#.message_content.{type,id,audio.audio.mime_type}', 'inputMessageStructure'],
  ['llm.input_messages.#.message.contents.#.message_content.audio.audio.transcript', 'inputMessageText'],
  ['llm.input_messages.#.message.contents.#.message_content.image.**', 'inputMessageImage'],
  ['llm.input_messages.#.message.contents.#.message_content.{audio,video,data}.**', 'inputMessageMedia'],
  ['llm.input_messages.**', 'inputMessageText'],
  ['llm.output_messages.#.message.{role,name,tool_call_id,function_call_name}', 'outputMessageStructure'],
  ['llm.output_messages.#.message.tool_calls.#.tool_call.{id,function.name}', 'outputMessageStructure'],
  ['llm.output_messages.#.message.contents.#.message_content.{type,id,audio.audio.mime_type}', 'outputMessageStructure'],
  ['llm.output_messages.#.message.contents.#.message_content.audio.audio.transcript', 'outputMessageText'],
  ['llm.output_messages.#.message.contents.#.message_content.{image,audio,video,data}.**', 'outputMessageMedia'],
  ['llm.output_messages.**', 'outputMessageText'],
  // OpenInference: the rest of an LLM span
  ['llm.tools.#.tool.{name,id}', 'toolStructure'],
  ['llm.tools.#.tool.{description,parameters}', 'toolDefinitions'],
  ['llm.tools.**', 'tools'],
  ['llm.invocation_parameters', 'invocationParameters'],
  ['llm.prompts.**', 'prompts'],
  ['llm.choices.**', 'choices'],
  ['llm.prompt_template.{template,variables}', 'inputContent'],
  ['llm.function_call', 'outputContent'],
  // OpenLLMetry's tool definitions
  ['llm.request.functions.#.{description,parameters}', 'toolDefinitions'],
  [
    'llm.{model_name,provider,system,finish_reason,prompt_template.version,request.model_name,response.model_name,request.functions.#.name}',
    'notContent',
  ],
  ['llm.{token_count,cost}.**', 'notContent'],
  // Infinium's own keys on each LLM call
  ['llm.{model,prompt_tokens,completion_tokens,temperature,latency_ms}', 'notContent'],
  // OpenInference: embeddings, retrieval, reranking
  ['embedding.embeddings.#.embedding.vector', 'embeddingVector'],
  ['embedding.embeddings.**', 'embeddingText'],
  ['embedding.text', 'embeddingText'],
  ['embedding.vector', 'embeddingVector'],
  ['embedding.model_name', 'notContent'],
  ['retrieval.documents.#.document.{id,score}', 'notContent'],
  ['retrieval.documents.**', 'outputContent'],
  ['reranker.{input_documents,output_documents}.#.document.{id,score}', 'notContent'],
  ['reranker.query', 'inputContent'],
  ['reranker.input_documents.**', 'inputContent'],
  ['reranker.output_documents.**', 'outputContent'],
  ['reranker.{model_name,top_k}', 'notContent'],
  // OpenInference: tool spans, context, prompts, agents, annotations
  ['tool.{description,parameters,json_schema}', 'toolDefinitions'],
  ['tool.{name,id}', 'notContent'],
  ['{annotation,evaluation}.explanation', 'outputContent'],
  ['{annotation,evaluation}.{name,score,label,annotator_kind,identifier,metadata}', 'notContent'],
  ['{annotations,evaluations,trace.annotations,trace.evaluations,session.annotations,session.evaluations}.**', 'outputContent'],
  ['{session.id,user.id,metadata,tag.tags,prompt.vendor,prompt.id,prompt.url,agent.name}', 'notContent'],
  ['graph.node.{id,name,parent_id}', 'notContent'],
  ['openinference.{span.kind,project.name}', 'notContent'],
  // OTel GenAI conventions (and the older content keys, incl. OpenLLMetry's indexed form)
  ['gen_ai.{input.messages,system_instructions,tool.call.arguments,prompt,content.prompt,retrieval.query.text}', 'inputContent'],
  ['gen_ai.request.stop_sequences', 'inputContent'],
  ['gen_ai.{output.messages,tool.call.result,completion,content.completion,retrieval.documents,evaluation.explanation}', 'outputContent'],
  ['gen_ai.tool.{definitions,description}', 'toolDefinitions'],
  ['gen_ai.prompt.#.{role,name,id,tool_call_id,type}', 'notContent'],
  ['gen_ai.prompt.#.tool_calls.#.{id,name,type}', 'notContent'],
  ['gen_ai.prompt.#.**', 'inputContent'],
  ['gen_ai.completion.#.{role,name,id,tool_call_id,type,finish_reason,function_call.name}', 'notContent'],
  ['gen_ai.completion.#.tool_calls.#.{id,name,type}', 'notContent'],
  ['gen_ai.completion.#.**', 'outputContent'],
  ['gen_ai.{prompt.name,operation.name,provider.name,system,conversation.id,data_source.id,output.type,token.type}', 'notContent'],
  ['gen_ai.{request,response,usage,agent,openai,workflow,embeddings,evaluation}.**', 'notContent'],
  ['gen_ai.tool.{name,type,call.id}', 'notContent'],
  // The GenAI MCP conventions: methods, sessions, resources are named, never quoted
  ['mcp.{method.name,session.id,resource.uri,protocol.version}', 'notContent'],
  // A vector store's database call (OTel database conventions, OpenLLMetry's top_k): names and counts, never the vector
  ['db.{system.name,operation.name,collection.name,query.summary,response.returned_rows,response.status_code,vector.query.top_k}', 'notContent'],
  ['infinium.retrieval.query_vector_dimensions', 'notContent'],
  // Traceloop / OpenLLMetry
  ['traceloop.{entity.input,prompt.template,prompt.template_variables}', 'inputContent'],
  ['traceloop.entity.output', 'outputContent'],
  // The Vercel AI SDK (ai 5/6 `ai.*` spans; ai 3/4 `ai.result.*`)
  ['ai.prompt.{format,toolChoice}', 'notContent'],
  ['ai.prompt.tools', 'toolDefinitions'],
  ['ai.prompt.**', 'inputContent'],
  ['ai.{toolCall.args,toolCall.input,schema,schema.description,documents,settings.stopSequences}', 'inputContent'],
  ['ai.{value,values}', 'embeddingText'],
  ['ai.{embedding,embeddings}', 'embeddingVector'],
  [
    'ai.response.{id,model,timestamp,finishReason,msToFirstChunk,msToFinish,avgOutputTokensPerSecond,avgCompletionTokensPerSecond,providerMetadata}',
    'notContent',
  ],
  ['ai.{response,result}.**', 'outputContent'],
  ['ai.{toolCall.result,toolCall.output,ranking}', 'outputContent'],
  // Mastra (@mastra/otel-bridge): every span's content under its type, and a request's raw response body
  ['mastra.*.input', 'inputContent'],
  ['mastra.*.output', 'outputContent'],
  ['mastra.metadata.body', 'outputContent'],
  // Langfuse and MLflow
  ['langfuse.{observation,trace}.input', 'inputContent'],
  ['langfuse.{observation,trace}.output', 'outputContent'],
  ['mlflow.spanInputs', 'inputContent'],
  ['mlflow.spanOutputs', 'outputContent'],
  // The Claude Code CLI's own spans (claude_code.*) and their tool.output events: its prompt, the model's new
  // context and answer, a tool's command, input and file path, and what it printed, read, wrote or changed
  ['{user_prompt,new_context,tool_input,full_command,bash_command,file_path,system_prompt_preview,user_system_prompt,system_reminders,hook_definitions}', 'inputContent'],
  ['{response.model_output,output,content,diff}', 'outputContent'],
];

/**
 * A header (or option) that carries a credential, at the end of any key, in any casing: `authorization` or
 * `api-key` (`api_key`, `apikey`) as a whole word, whatever comes before it: `proxy-authorization`,
 * `x-api-key`, `x-goog-api-key`, a vendor's `x-portkey-api-key`, `metadata.OPENAI_API_KEY`, as in
 * `http.request.header.authorization` or the AI SDK's `ai.request.headers.Authorization`. An id or a name of
 * a key (`api_key_id`) is not one.
 */
const CREDENTIAL_KEY = /(?:^|[._-])(?:authorization|api[-_]?key)$/i;

/**
 * True when the key names a credential; cheaper than `classifyKey` for spans that need nothing else. Every
 * credential key ends in `n` (authorization) or `y` (key), so most keys are settled by their last letter.
 */
export function isCredentialKey(key: string): boolean {
  const last = key.charCodeAt(key.length - 1) | 0x20;
  return (last === 0x6e || last === 0x79) && CREDENTIAL_KEY.test(key);
}

interface CompiledRule {
  readonly regex: RegExp;
  readonly category: Category;
}

/**
 * The rules by their literal first segment, so that a key is tried against its own root's rules only.
 * Compiled at the first key classified (about 3 ms on Node 20): with nothing hidden, the default, only
 * credentials are masked and no key ever is (mask.ts), so an app that hides nothing never compiles them.
 */
let rulesByRoot: Map<string, CompiledRule[]> | undefined;

/** The key's kind, or `undefined` when no rule names it (it is then not content). */
export function classifyKey(key: string): Category | undefined {
  if (CREDENTIAL_KEY.test(key)) return 'credential';
  const dot = key.indexOf('.');
  const rules = (rulesByRoot ??= compileRules()).get(dot < 0 ? key : key.slice(0, dot));
  if (rules) for (const rule of rules) if (rule.regex.test(key)) return rule.category;
  return undefined;
}

function compileRules(): Map<string, CompiledRule[]> {
  const byRoot = new Map<string, CompiledRule[]>();
  for (const [pattern, category] of CONTENT_KEY_RULES) {
    for (const expanded of expandRoots(pattern)) {
      const root = /^[^.{]+/.exec(expanded)![0];
      const rule = { regex: new RegExp(`^${patternSource(expanded)}$`), category };
      const list = byRoot.get(root);
      if (list) list.push(rule);
      else byRoot.set(root, [rule]);
    }
  }
  return byRoot;
}

/** A pattern whose first segment is an alternative becomes one pattern per alternative (each has a root). */
function expandRoots(pattern: string): string[] {
  if (!pattern.startsWith('{')) return [pattern];
  const close = pattern.indexOf('}');
  return pattern.slice(1, close).split(',').map((alternative) => alternative + pattern.slice(close + 1));
}

function patternSource(pattern: string): string {
  let source = '';
  let rest = pattern;
  if (rest.endsWith('.**')) rest = rest.slice(0, -3);
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '{') {
      const close = rest.indexOf('}', i);
      source += `(?:${rest.slice(i + 1, close).split(',').map(segmentSource).join('|')})`;
      i = close;
    } else {
      source += segmentChar(c);
    }
  }
  return pattern.endsWith('.**') ? `${source}(?:\\..+)?` : source;
}

function segmentSource(text: string): string {
  return [...text].map(segmentChar).join('');
}

function segmentChar(c: string): string {
  if (c === '#') return '\\d+';
  if (c === '*') return '[^.]+';
  return c.replace(/[.\\^$+?()[\]|/-]/g, '\\$&');
}
