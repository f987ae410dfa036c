/**
 * The provider-neutral record of one framework run: a chain, an agent, a tool, a retriever, a prompt
 * template, a guardrail or an MCP request. A framework adapter (lib/frameworks/<name>/) translates its
 * framework's run into it; semconv/render-run.ts turns it into OpenInference + Infinium attributes through
 * the one masking function. Model calls are not runs: they are `CallRecord`s (call-record.ts).
 */

import type { ServerEndpoint } from './call-record';
import type { Usage } from './usage';

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

/** One model's share of a run's usage, as the framework reported it (the Claude Agent SDK's `modelUsage`). */
export interface RunModelUsage {
  model: string;
  usage: Usage;
  /** What the framework says that model's calls cost, in USD. */
  costUsd?: number;
}

/**
 * A database call (a vector store's query, upsert, fetch or delete) as the OTel database conventions name
 * it: semconv/render-db.ts renders it, whichever store made it. Never the query vector or the records
 * written: only their counts and sizes.
 */
export interface DbOperation {
  /** `db.system.name`: the store (`pinecone`, `qdrant`, `chroma`). */
  system: string;
  /** `db.operation.name`: the store's name of the operation (`query`, `search`, `upsert`, `fetch`, `delete`). */
  operation: string;
  /** `db.collection.name`: the index or collection, when known. */
  collection?: string;
  /** `db.operation.batch.size`: how many queries a batch request carried (2 or more; unset on a single query). */
  batchSize?: number;
  /** `server.address` and `server.port`: where the store was reached. */
  server?: ServerEndpoint;
  /** `db.vector.query.top_k`: how many results a query asked for. */
  topK?: number;
  /** `infinium.retrieval.query_vector_dimensions`: the query vector's length (the vector itself is never recorded). */
  queryVectorDimensions?: number;
  /** `db.response.returned_rows`: how many results or records came back. */
  returnedRows?: number;
  /** `db.response.status_code`: the store's status code of a failed call (its HTTP status). */
  statusCode?: string;
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
  /** GUARDRAIL runs: whether the guardrail tripped (`infinium.guardrail.triggered`). */
  guardrail?: { triggered: boolean };
  /** A handoff from one agent to another (`infinium.handoff.from_agent`, `infinium.handoff.to_agent`). */
  handoff?: { fromAgent?: string; toAgent?: string };
  /** The model an agent run used, where the framework says (`llm.model_name`). */
  model?: string;
  /**
   * Tokens the framework reports for model calls made out of our sight (the Claude Code CLI runs them in its
   * own process): `llm.token_count.*` on the run's span. Never set where our LLM spans below count them.
   */
  usage?: Usage;
  /** Per-model usage and cost, as reported (`infinium.model_usage`, JSON). */
  modelUsage?: RunModelUsage[];
  /**
   * The cost the framework reports for those calls, in USD: `llm.cost.total` with `infinium.cost.source` =
   * `reported`; the span processor adds it to the root's `infinium.cost_usd`.
   */
  reportedCostUsd?: number;
  /** A run that is itself a database call (a vector store's query): the OTel database attributes beside the run's. */
  db?: DbOperation;
  error?: RunError;
  /** `performance.now()` when the run started. */
  startedAt: number;
}
