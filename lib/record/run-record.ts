/**
 * The provider-neutral record of one framework run: a chain, an agent, a tool, a retriever, a prompt
 * template, a guardrail or an MCP request. A framework adapter (lib/frameworks/<name>/) translates its
 * framework's run into it; semconv/render-run.ts turns it into OpenInference + Infinium attributes through
 * the one masking function. Model calls are not runs: they are `CallRecord`s (call-record.ts).
 */

/** The OpenInference span kind of a run. */
export type RunKind = 'CHAIN' | 'AGENT' | 'TOOL' | 'RETRIEVER' | 'PROMPT' | 'GUARDRAIL' | 'EVALUATOR';

/** One document a retriever returned. */
export interface RunDocument {
  id?: string;
  content?: string;
  /** The document's metadata, as the framework gave it (rendered as JSON). */
  metadata?: Record<string, unknown>;
  score?: number;
}

/** A prompt template's text and the values it was filled with. */
export interface PromptTemplate {
  /** The template; a chat template gives every message's template, each on its role (`system: …`). */
  template?: string;
  variables?: Record<string, unknown>;
  version?: string;
}

/** Where a run sits in an agent graph (LangGraph's nodes): OpenInference `graph.node.*`. */
export interface GraphNode {
  id: string;
  name: string;
  parentId?: string;
}

export interface RunError {
  /** The error's class name. */
  type: string;
  message?: string;
}

export interface RunRecord {
  kind: RunKind;
  /** The span name: the run's name (`RunnableSequence`, the tool's or the agent's name). */
  name: string;
  /** The run's input: a string as it is, anything else rendered as JSON. */
  input?: unknown;
  /** The run's output (a tool's return, a chain's result), rendered like the input. */
  output?: unknown;
  /** TOOL runs: the tool's name, description, and the id of the model's tool call it answers. */
  tool?: { name?: string; description?: string; callId?: string };
  /** AGENT runs: the agent's name (`agent.name`). */
  agentName?: string;
  /** RETRIEVER runs: exactly the documents returned. */
  documents?: RunDocument[];
  /** PROMPT runs (or a chain that filled a template). */
  promptTemplate?: PromptTemplate;
  graphNode?: GraphNode;
  sessionId?: string;
  userId?: string;
  /** The run's metadata (OpenInference `metadata`, JSON) and tags (`tag.tags`). */
  metadata?: Record<string, unknown>;
  tags?: string[];
  error?: RunError;
  /** `performance.now()` when the run started. */
  startedAt: number;
}
