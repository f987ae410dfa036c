import { expect } from 'chai';
import { FrameworkAppCase, frameworkApp, installProblems, LINE_PINS, LineApp } from './line-apps';
import { run, Runtime } from './node-runtime';

/**
 * LangChain.js and LangGraph.js apps from the packed package: each major of @langchain/core on each
 * OpenTelemetry line, a ReAct agent with one tool over ChatOpenAI (fixtures/langchain-app.cjs, and its ESM twin),
 * run once with LangChain's CommonJS build and once with its ESM build (separate copies; both must be traced).
 */
export const LANGCHAIN_FIXTURES = ['langchain-app.cjs', 'langchain-app.mjs'];

/**
 * @langchain/core 1.x. The app has its own openai 6, so @langchain/openai 1.6 nests its openai ^7 (7.60.0 as of
 * this writing; npm's scoped `overrides` would pin it, but then `npm ls` reports the app's openai 6 invalid).
 */
const LANGCHAIN_1: Readonly<Record<string, string>> = {
  '@langchain/core': '1.4.0', '@langchain/langgraph': '1.7.3', '@langchain/openai': '1.6.0', zod: '4.6.7', openai: '6.30.1',
};
/** @langchain/core 0.3: langgraph 0.4.10 (peer core >=0.3.58 <0.4), @langchain/openai 0.6.17 (the last 0.6; exactly openai 5.12.2). */
const LANGCHAIN_03: Readonly<Record<string, string>> = {
  '@langchain/core': '0.3.80', '@langchain/langgraph': '0.4.10', '@langchain/openai': '0.6.17', zod: '3.25.76', 'zod-to-json-schema': '3.25.2',
};

export type LangChainCase = FrameworkAppCase;

export const LANGCHAIN_CASES: LangChainCase[] = [
  {
    key: 'langchain 1.x app on the 3.x line (Node 22)', line: '3.x', tracing: 'sdk-trace', runtime: (n22) => n22,
    name: 'langchain-1-3.x', dependencies: { ...LINE_PINS['3.x'], ...LANGCHAIN_1 },
  },
  {
    key: 'langchain 0.3 app on the 2.x line (Node 20)', line: '2.x', tracing: 'sdk-trace-base', runtime: (_n22, n20) => n20,
    name: 'langchain-03-2.x', dependencies: { ...LINE_PINS['2.x'], ...LANGCHAIN_03 },
  },
  // The crossed pairs: each major of LangChain on the other line.
  {
    key: 'langchain 1.x app on the 2.x line (Node 22)', line: '2.x', tracing: 'sdk-trace-base', runtime: (n22) => n22,
    name: 'langchain-1-2.x', dependencies: { ...LINE_PINS['2.x'], ...LANGCHAIN_1 },
  },
  {
    key: 'langchain 0.3 app on the 3.x line (Node 22)', line: '3.x', tracing: 'sdk-trace', runtime: (n22) => n22,
    name: 'langchain-03-3.x', dependencies: { ...LINE_PINS['3.x'], ...LANGCHAIN_03 },
  },
];

/** The app of `c`, installed with npm, our tarball added with a plain `npm install`, the fixtures copied in. */
export function langchainApp(c: LangChainCase, runtime: Runtime, workDir: string, tarball: string): Promise<LineApp> {
  return frameworkApp(c, LANGCHAIN_FIXTURES, runtime, workDir, tarball);
}

interface SpanLine {
  name: string;
  id: string;
  traceId: string;
  parentId: string | null;
  scope: string;
  status: number;
  attributes: Record<string, unknown>;
}
interface RunLine {
  served: Array<{ path: string; stream: boolean; tools: string[] }>;
  stillOpen: string[];
  answer: string;
  cjsCoreLoaded: boolean;
}

const ERROR = 2;
const MODEL = 'gpt-4o-mini-2024-07-18';
const KIND = 'openinference.span.kind';
const LLM_KEYS = ['llm.provider', 'llm.model_name', 'llm.token_count.prompt', 'llm.token_count.completion', 'llm.token_count.total'];
const TOOL_CALL_NAME = 'llm.output_messages.0.message.tool_calls.0.tool_call.function.name';

/** The mocha tests of one LangChain app: its install, then the agent turn as CommonJS and as ESM. */
export function describeLangChainApp(c: LangChainCase, app: () => LineApp): void {
  describe(c.key, () => {
    const env = { APP_TRACING: c.tracing, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };

    it('adding us to the LangChain app brought no peer problem', async () => {
      expect(await installProblems(app())).to.deep.equal([]);
    });

    it('CommonJS (require): the agent turn is one tree, 2 LLM spans for 2 requests, all ended when invoke() resolved', async () => {
      expectAgentTurn(await run(app().runtime, ['langchain-app.cjs'], app().dir, env), 'cjs');
    });

    it('ESM (import, tracing loaded with --import): the ESM copy of @langchain/core is traced the same', async () => {
      expectAgentTurn(await run(app().runtime, ['--import', './langchain-app.cjs', 'langchain-app.mjs'], app().dir, env), 'esm');
    });
  });
}

function expectAgentTurn(result: { code: number | null; stdout: string; stderr: string }, build: 'cjs' | 'esm'): void {
  expect(result.stderr, 'stderr').to.equal('');
  expect(result.code).to.equal(0);
  const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { span?: SpanLine; run?: RunLine });
  const spans = lines.flatMap((l) => (l.span ? [l.span] : []));
  const runLine = lines.find((l) => l.run)!.run!;

  expect(runLine.answer).to.equal('It is 21°C and sunny in Paris.');
  expect(runLine.cjsCoreLoaded, 'the CommonJS build of @langchain/core was loaded').to.equal(build === 'cjs');
  expect(runLine.served).to.deep.equal([
    { path: '/v1/chat/completions', stream: false, tools: ['get_weather'] },
    { path: '/v1/chat/completions', stream: false, tools: ['get_weather'] },
  ]);
  expect(runLine.stillOpen, 'spans still open when invoke() resolved').to.deep.equal([]);

  const byId = new Map(spans.map((s) => [s.id, s]));
  const ancestors = (s: SpanLine): SpanLine[] => {
    const chain: SpanLine[] = [];
    for (let p = s.parentId ? byId.get(s.parentId) : undefined; p; p = p.parentId ? byId.get(p.parentId) : undefined) chain.push(p);
    return chain;
  };
  const summary = spans.map((s) => `${s.name} [${String(s.attributes[KIND])}] <- ${s.parentId ? byId.get(s.parentId)?.name ?? 'MISSING' : 'root'}`).join('\n');

  // One trace, one root, no orphan, no error.
  expect(new Set(spans.map((s) => s.traceId)).size, summary).to.equal(1);
  const roots = spans.filter((s) => s.parentId === null);
  expect(roots.map((s) => s.name), summary).to.have.length(1);
  expect(spans.filter((s) => s.parentId !== null && !byId.has(s.parentId)).map((s) => s.name), `orphans in\n${summary}`).to.deep.equal([]);
  expect(spans.filter((s) => s.status === ERROR).map((s) => s.name), summary).to.deep.equal([]);

  const [root] = roots;
  expect([root.name, root.attributes[KIND], root.attributes['agent.name']], summary).to.deep.equal(['weather_agent', 'AGENT', 'weather_agent']);

  // Exactly one LLM span per request served: ChatOpenAI's run and our OpenAI SDK span are one span.
  const llm = spans.filter((s) => s.attributes[KIND] === 'LLM').sort((a, b) => Number(a.attributes['llm.token_count.prompt']) - Number(b.attributes['llm.token_count.prompt']));
  expect(llm, summary).to.have.length(runLine.served.length);
  expect(llm.map((s) => LLM_KEYS.map((k) => s.attributes[k])), summary).to.deep.equal([
    ['openai', MODEL, 57, 17, 74],
    ['openai', MODEL, 92, 11, 103],
  ]);
  expect(llm.map((s) => s.attributes[TOOL_CALL_NAME])).to.deep.equal(['get_weather', undefined]);

  const tools = spans.filter((s) => s.attributes[KIND] === 'TOOL');
  expect(tools.map((s) => [s.name, s.attributes['tool.name'], s.attributes['input.value'], s.attributes['output.value']]), summary).to.deep.equal([
    ['get_weather', 'get_weather', '{"city":"Paris"}', 'It is 21°C and sunny in Paris.'],
  ]);

  // Parentage: each model call under the graph's `agent` node, the tool under its `tools` node, all under the root.
  const nodeNames = (s: SpanLine) => ancestors(s).map((a) => a.attributes['graph.node.name']).filter((n) => n !== undefined);
  for (const s of llm) {
    expect(ancestors(s).at(-1)?.id, summary).to.equal(root.id);
    expect(nodeNames(s)[0], `${s.name}'s nearest graph node\n${summary}`).to.equal('agent');
  }
  expect(ancestors(tools[0]).at(-1)?.id, summary).to.equal(root.id);
  expect(nodeNames(tools[0])[0], `the tool's nearest graph node\n${summary}`).to.equal('tools');

  // LangGraph's configurable.thread_id is the session of every span of the turn, the root included.
  expect(spans.filter((s) => s.attributes['session.id'] !== 'thread-lines-1').map((s) => s.name), 'spans without session.id').to.deep.equal([]);
}
