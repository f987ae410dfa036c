import { expect } from 'chai';
import { MODEL as CLAUDE_MODEL, ModelTokens, SESSION_ID } from '../frameworks/claude-agent/helpers/cli-script';

/** A span as the agents apps print it (fixtures/*-app.cjs). */
export interface ExportedSpan {
  name: string;
  id: string;
  traceId: string;
  parentId: string | null;
  /** The SDK's HrTime: [seconds, nanoseconds]. */
  start: [number, number];
  scope: string;
  status: number;
  attributes: Record<string, unknown>;
}

const ERROR = 2;
const KIND = 'openinference.span.kind';
const TOKENS = ['llm.token_count.prompt', 'llm.token_count.completion', 'llm.token_count.total'];

/**
 * The spans as an indented tree, `name [KIND]` a line, children in start order: the exact shape to compare.
 * Fails first if the spans are not one trace with one root, no orphan and no error.
 */
export function treeOf(spans: ExportedSpan[]): string[] {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const summary = spans.map((s) => `${s.name} [${String(s.attributes[KIND])}] <- ${s.parentId ? byId.get(s.parentId)?.name ?? 'MISSING' : 'root'}`).join('\n');
  expect(new Set(spans.map((s) => s.traceId)).size, `one trace\n${summary}`).to.equal(1);
  expect(spans.filter((s) => s.parentId !== null && !byId.has(s.parentId)).map((s) => s.name), `orphans in\n${summary}`).to.deep.equal([]);
  expect(spans.filter((s) => s.parentId === null).map((s) => s.name), `roots in\n${summary}`).to.have.length(1);
  expect(spans.filter((s) => s.status === ERROR).map((s) => s.name), `spans in error\n${summary}`).to.deep.equal([]);
  const startOf = (s: ExportedSpan) => s.start[0] * 1e9 + s.start[1];
  const lines: string[] = [];
  const walk = (s: ExportedSpan, depth: number) => {
    const kind = s.attributes[KIND];
    lines.push(`${'  '.repeat(depth)}${s.name}${kind === undefined ? '' : ` [${String(kind)}]`}`);
    for (const child of spans.filter((c) => c.parentId === s.id).sort((a, b) => startOf(a) - startOf(b))) walk(child, depth + 1);
  };
  walk(spans.find((s) => s.parentId === null)!, 0);
  return lines;
}

/** The spans of `kind`, in start order. */
function ofKind(spans: ExportedSpan[], kind: string): ExportedSpan[] {
  return spans.filter((s) => s.attributes[KIND] === kind).sort((a, b) => a.start[0] - b.start[0] || a.start[1] - b.start[1]);
}

const pick = (s: ExportedSpan, keys: string[]) => keys.map((k) => s.attributes[k]);

interface OpenAiAgentsRun {
  served: Array<{ path: string; stream: boolean; tools: string[] }>;
  stillOpen: string[];
  answer: string;
  sdkProcessor: { traces: number; spans: string[] };
  cjsCoreLoaded: boolean;
}

const OA_MODEL = 'gpt-4.1-mini-2025-04-14';
const OA_ANSWER = 'It is 21°C and sunny in Paris.';
const OA_QUESTION = 'What is the weather in Paris?';

/** One OpenAI Agents turn with one tool call (fixtures/openai-agents-app.cjs), exactly. */
export function expectOpenAiAgentsTurn({ spans, run }: { spans: ExportedSpan[]; run: OpenAiAgentsRun }, build: 'cjs' | 'esm'): void {
  expect(run.answer).to.equal(OA_ANSWER);
  expect(run.cjsCoreLoaded, 'the CommonJS build of agents-core was loaded').to.equal(build === 'cjs');
  expect(run.served).to.deep.equal([
    { path: '/v1/responses', stream: false, tools: ['get_weather'] },
    { path: '/v1/responses', stream: false, tools: ['get_weather'] },
  ]);
  expect(run.stillOpen, 'spans still open when run() resolved').to.deep.equal([]);
  // The app's own trace processor (in place of the SDK's exporter) still got every SDK span.
  expect(run.sdkProcessor).to.deep.equal({ traces: 1, spans: ['response', 'function', 'turn', 'response', 'turn', 'agent', 'task'] });

  expect(treeOf(spans)).to.deep.equal([
    'agents-turn',
    '  Agent workflow [CHAIN]',
    '    weather_agent [AGENT]',
    '      chat gpt-4.1-mini [LLM]',
    '      get_weather [TOOL]',
    '      chat gpt-4.1-mini [LLM]',
  ]);
  // Exactly one LLM span per request: the SDK's response span and our OpenAI span of it are one span.
  expect(ofKind(spans, 'LLM').map((s) => pick(s, ['llm.provider', 'llm.model_name', ...TOKENS]))).to.deep.equal([
    ['openai', OA_MODEL, 57, 17, 74],
    ['openai', OA_MODEL, 92, 11, 103],
  ]);
  const [agent] = ofKind(spans, 'AGENT');
  expect(pick(agent, ['agent.name', 'input.value', 'output.value'])).to.deep.equal(['weather_agent', OA_QUESTION, OA_ANSWER]);
  const [tool] = ofKind(spans, 'TOOL');
  expect(pick(tool, ['tool.name', 'input.value', 'output.value'])).to.deep.equal(['get_weather', '{"city":"Paris"}', OA_ANSWER]);
  const [chain] = ofKind(spans, 'CHAIN');
  expect(pick(chain, ['input.value', 'output.value'])).to.deep.equal([OA_QUESTION, OA_ANSWER]);
}

interface ClaudeRun {
  messages: string[];
  answer: string;
  /** The TRACEPARENT the CLI was started with, as it echoed it. */
  traceparent: string;
  stillOpen: string[];
}

export const CLAUDE_ANSWER = 'It is 21°C in Paris.';
/** What the CLI's result reports for the run (both model calls). */
export const CLAUDE_TOKENS: Record<string, ModelTokens> = { [CLAUDE_MODEL]: { input: 280, output: 42, costUsd: 0.0012 } };

/** One Claude Agent SDK query run by the fake CLI (fixtures/claude-agent-app.cjs), exactly. */
export function expectClaudeTurn({ spans, run }: { spans: ExportedSpan[]; run: ClaudeRun }): void {
  expect(run.messages).to.deep.equal(['system/init', 'assistant', 'user', 'assistant', 'result/success']);
  expect(run.answer).to.equal(CLAUDE_ANSWER);
  expect(run.stillOpen, 'spans still open after the query').to.deep.equal([]);
  expect(treeOf(spans)).to.deep.equal(['claude-turn', '  claude-code [AGENT]', '    Bash [TOOL]']);
  const [agent] = ofKind(spans, 'AGENT');
  // The CLI was started inside our AGENT span: the SDK passed it as TRACEPARENT (sampled).
  expect(run.traceparent).to.equal(`00-${agent.traceId}-${agent.id}-01`);
  expect(pick(agent, ['agent.name', 'input.value', 'output.value', 'session.id'])).to.deep.equal(['claude-code', 'What is the weather in Paris?', CLAUDE_ANSWER, SESSION_ID]);
  // The run's usage (both model calls the CLI made, from the result's modelUsage) and the cost the CLI reported.
  expect(pick(agent, [...TOKENS, 'llm.model_name', 'llm.cost.total', 'infinium.cost.source'])).to.deep.equal([280, 42, 322, CLAUDE_MODEL, 0.0012, 'reported']);
  const [tool] = ofKind(spans, 'TOOL');
  expect(pick(tool, ['tool.name', 'tool_call.id', 'input.value', 'output.value'])).to.deep.equal(['Bash', 'toolu_lines_1', '{"command":"echo 21°C"}', '21°C']);
}

interface MastraRun {
  result: string;
  served: Array<{ method: string; path: string; stream: boolean }>;
  stillOpen: string[];
}
export type MastraScenario = 'generate' | 'stream' | 'workflow';

const MASTRA_ANSWER = 'It is 21°C and sunny in Paris.';
const MASTRA_MODEL = 'gpt-4o-mini-2024-07-18';
/** One agent turn as the bridge's spans become OpenInference kinds (lib/processor/mastra-mapper.ts). */
const MASTRA_TURN = [
  '  invoke_agent Weather Agent [AGENT]',
  '    chat gpt-4o-mini [CHAIN]',
  '      model_step Weather Agent [LLM]',
  '        model_inference Weather Agent [CHAIN]',
  '          model_chunk Weather Agent [CHAIN]',
  '          model_chunk Weather Agent [CHAIN]',
  '        execute_tool weatherTool [TOOL]',
  '      model_step Weather Agent [LLM]',
  '        model_inference Weather Agent [CHAIN]',
  '          model_chunk Weather Agent [CHAIN]',
];
const LLM_DETAILS = ['llm.provider', 'llm.model_name', ...TOKENS, 'llm.token_count.prompt_details.cache_read', 'llm.token_count.completion_details.reasoning'];

/** One scenario of fixtures/mastra-app.mjs, exactly: its tree, kinds, and the tokens of each request. */
export function expectMastraScenario(scenario: MastraScenario, spans: ExportedSpan[], run: MastraRun): void {
  expect(run.stillOpen, `${scenario}: spans still open when it settled`).to.deep.equal([]);
  expect(spans.filter((s) => s.scope === '@infinium/otel').map((s) => s.name), `${scenario}: our own spans (Mastra calls the model with fetch)`).to.deep.equal([]);
  const tree = treeOf(spans);
  const root = spans.find((s) => s.parentId === null)!;
  if (scenario === 'workflow') {
    expect([run.result, run.served.length]).to.deep.equal(['success', 0]);
    expect(tree).to.deep.equal(['app workflow', '  invoke_workflow weather-workflow [CHAIN]', '    workflow_step weather-workflow [CHAIN]', '    workflow_step weather-workflow [CHAIN]']);
    const workflow = spans.find((s) => s.name === 'invoke_workflow weather-workflow')!;
    expect(pick(workflow, ['input.value', 'output.value'])).to.deep.equal(['{"city":"Paris"}', '{"report":"Paris: 21°C"}']);
    expect(root.attributes['infinium.llm_call_count']).to.equal(0);
    return;
  }
  expect(run.result).to.equal(MASTRA_ANSWER);
  const request = { method: 'POST', path: '/v1/chat/completions', stream: scenario === 'stream' };
  expect(run.served).to.deep.equal([request, request]);
  expect(tree).to.deep.equal([`app ${scenario}`, ...MASTRA_TURN]);
  expect(root.attributes['infinium.llm_call_count']).to.equal(2);
  const [agent] = ofKind(spans, 'AGENT');
  expect(pick(agent, ['agent.name', 'input.value', 'output.value'])).to.deep.equal(['Weather Agent', 'What is the weather in Paris?', MASTRA_ANSWER]);
  const [tool] = ofKind(spans, 'TOOL');
  expect(pick(tool, ['tool.name', 'input.value', 'output.value'])).to.deep.equal(['weatherTool', '{"city":"Paris"}', '{"city":"Paris","tempC":21,"sky":"sunny"}']);
  // One LLM span per request with that request's exact usage; @mastra/otel-bridge 1.5.4 exports no usage for a streamed step.
  expect(ofKind(spans, 'LLM').map((s) => pick(s, LLM_DETAILS))).to.deep.equal(scenario === 'generate'
    ? [['openai', MASTRA_MODEL, 52, 17, 69, 16, 5], ['openai', MASTRA_MODEL, 88, 9, 97, 32, 0]]
    : [['openai', 'gpt-4o-mini', ...Array(5).fill(undefined)], ['openai', 'gpt-4o-mini', ...Array(5).fill(undefined)]]);
}
