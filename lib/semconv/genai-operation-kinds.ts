/**
 * The OpenInference span kind that each OTel GenAI `gen_ai.operation.name` stands for. Dependency-free: the
 * span processor maps foreign GenAI spans with it, and the standalone viewer (lib/viewer) classifies the
 * spans it receives with the same table.
 */
export type OpenInferenceKind = 'LLM' | 'EMBEDDING' | 'TOOL' | 'AGENT' | 'CHAIN' | 'RETRIEVER' | 'RERANKER';

const KIND_BY_OPERATION: Readonly<Record<string, OpenInferenceKind>> = {
  chat: 'LLM',
  text_completion: 'LLM',
  generate_content: 'LLM',
  embeddings: 'EMBEDDING',
  execute_tool: 'TOOL',
  invoke_agent: 'AGENT',
  create_agent: 'AGENT',
  invoke_workflow: 'CHAIN',
  retrieval: 'RETRIEVER',
};

/** The OpenInference kind for a `gen_ai.operation.name`, or `undefined` for an unknown operation. */
export function genAiSpanKind(operation: unknown): OpenInferenceKind | undefined {
  return typeof operation === 'string' && Object.hasOwn(KIND_BY_OPERATION, operation) ? KIND_BY_OPERATION[operation] : undefined;
}
