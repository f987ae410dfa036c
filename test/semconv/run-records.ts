import type { Conventions } from '../../lib/config/semconv';
import type { RunRecord } from '../../lib/record/run-record';

/** Run records of each kind, and the conventions, for the run renderer's tests. */

export const BOTH: Conventions = { openInference: true, genAi: true };
export const GEN_AI_ONLY: Conventions = { openInference: false, genAi: true };
export const R = '__REDACTED__';

export function run(fields: Omit<RunRecord, 'startedAt'>): RunRecord {
  return { ...fields, startedAt: 0 };
}

export const chain = (): RunRecord =>
  run({
    kind: 'CHAIN', name: 'RunnableSequence', input: { question: 'What is 2+2?' }, output: 'four',
    graphNode: { id: 'run-2', name: 'agent', parentId: 'run-1' }, sessionId: 'thread-7', userId: 'user-3',
    metadata: { langgraph_step: 1 }, tags: ['seq:step:1'],
  });

export const tool = (): RunRecord =>
  run({
    kind: 'TOOL', name: 'calculator', input: '{"a":2,"b":2}', output: '4', sessionId: 'thread-7',
    tool: { name: 'calculator', description: 'Adds two numbers', callId: 'call_1' },
  });

export const agent = (): RunRecord => run({ kind: 'AGENT', name: 'LangGraph', agentName: 'planner', input: 'plan a trip', output: { answer: 'Paris' } });

export const retriever = (): RunRecord =>
  run({
    kind: 'RETRIEVER', name: 'VectorStoreRetriever', input: 'capital of France',
    documents: [
      { id: 'd1', content: 'Paris is the capital of France.', metadata: { source: 'wiki' }, score: 0.9 },
      { content: 'Lyon is in France.', score: 0.5 },
    ],
  });

export const prompt = (): RunRecord =>
  run({
    kind: 'PROMPT', name: 'ChatPromptTemplate', input: { topic: 'cats' },
    promptTemplate: { template: 'system: Tell a joke about {topic}', variables: { topic: 'cats' }, version: 'v2' },
  });
