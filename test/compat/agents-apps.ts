import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { FrameworkAppCase, frameworkApp, installProblems, LINE_PINS, LineApp } from './line-apps';
import { ProcessResult, run, Runtime } from './node-runtime';
import { assistantText, FAKE_CLI, init, result, toolResult, toolUse } from '../frameworks/claude-agent/helpers/cli-script';
import { CLAUDE_ANSWER, CLAUDE_TOKENS, ExportedSpan, expectClaudeTurn, expectMastraScenario, expectOpenAiAgentsTurn, MastraScenario } from './agents-expectations';

/**
 * Agent SDK apps from the packed package, on each OpenTelemetry line: an OpenAI Agents turn with one tool call
 * against a fake Responses API (fixtures/openai-agents-app.cjs, and its ESM twin), and a Claude Agent SDK query
 * (fixtures/claude-agent-app.cjs) run by the Claude tests' fake stream-json CLI (test/frameworks/claude-agent/helpers/
 * fake-cli.mjs, copied into the app as agents/fake-claude-cli.mjs) playing one Bash turn. The Claude app is
 * installed as its owner would install the SDK without its 428 MB native CLI: `--omit=optional` (an `.npmrc` in
 * the app, so that adding us keeps it too). The Agents SDK cannot share that install: @openai/agents-core 0.20
 * requires its optional dependency @modelcontextprotocol/client when it loads. And a Mastra app (fixtures/mastra-app.mjs,
 * Node 22 on both lines: Mastra's engines) with Mastra's OTel bridge, whose spans our processor maps.
 */
export type AgentsApp = 'openai-agents' | 'claude-agent' | 'mastra';

const FIXTURES: Readonly<Record<AgentsApp, string[]>> = {
  'openai-agents': ['openai-agents-app.cjs', 'openai-agents-app.mjs'],
  'claude-agent': ['claude-agent-app.cjs'],
  mastra: ['mastra-app.mjs', 'agents/fake-openai-chat.mjs'],
};
const OPENAI_AGENTS: Readonly<Record<string, string>> = { '@openai/agents': '0.20.0', openai: '7.60.0', zod: '4.6.7' };
/** The Claude Agent SDK and its peers (@anthropic-ai/sdk >=0.93, the MCP SDK ^1.29, zod ^4), pinned. */
const CLAUDE_AGENT: Readonly<Record<string, string>> = {
  '@anthropic-ai/claude-agent-sdk': '0.3.337', '@anthropic-ai/sdk': '1.12.0', '@modelcontextprotocol/sdk': '1.32.2', zod: '4.6.7',
};

/** Mastra 1.x with its OTel bridge (peer api ^1.9.1: one api copy on either line). */
const MASTRA: Readonly<Record<string, string>> = {
  '@mastra/core': '1.71.0', '@mastra/otel-bridge': '1.5.4', '@mastra/observability': '1.17.9', zod: '4.6.7',
};

export interface AgentsCase extends FrameworkAppCase {
  app: AgentsApp;
  /** OpenAI Agents: the SDK build run on this line, CommonJS (require) or ESM (import, tracing by --import). */
  build?: 'cjs' | 'esm';
}

const n20 = (_n22: Runtime, node20: Runtime) => node20;
const n22 = (node22: Runtime) => node22;
export const AGENTS_CASES: AgentsCase[] = [
  {
    key: 'agents: OpenAI Agents app on the 2.x line (Node 20)', app: 'openai-agents', build: 'cjs', line: '2.x', tracing: 'sdk-trace-base',
    runtime: n20, name: 'openai-agents-2.x', dependencies: { ...LINE_PINS['2.x'], ...OPENAI_AGENTS },
  },
  {
    key: 'agents: OpenAI Agents app on the 3.x line (Node 22)', app: 'openai-agents', build: 'esm', line: '3.x', tracing: 'sdk-trace',
    runtime: n22, name: 'openai-agents-3.x', dependencies: { ...LINE_PINS['3.x'], ...OPENAI_AGENTS },
  },
  {
    key: 'agents: Claude Agent SDK app on the 2.x line (Node 20)', app: 'claude-agent', omitOptional: true, line: '2.x', tracing: 'sdk-trace-base',
    runtime: n20, name: 'claude-agent-2.x', dependencies: { ...LINE_PINS['2.x'], ...CLAUDE_AGENT },
  },
  {
    key: 'agents: Claude Agent SDK app on the 3.x line (Node 22)', app: 'claude-agent', omitOptional: true, line: '3.x', tracing: 'sdk-trace',
    runtime: n22, name: 'claude-agent-3.x', dependencies: { ...LINE_PINS['3.x'], ...CLAUDE_AGENT },
  },
  {
    key: 'agents: Mastra app on the 2.x line (Node 22)', app: 'mastra', line: '2.x', tracing: 'sdk-trace-base',
    runtime: n22, name: 'mastra-2.x', dependencies: { ...LINE_PINS['2.x'], ...MASTRA },
  },
  {
    key: 'agents: Mastra app on the 3.x line (Node 22)', app: 'mastra', line: '3.x', tracing: 'sdk-trace',
    runtime: n22, name: 'mastra-3.x', dependencies: { ...LINE_PINS['3.x'], ...MASTRA },
  },
];

/** The app of `c` (frameworkApp: `omit=optional` in its `.npmrc` if `c.omitOptional`), the Claude app's fake CLI written in. */
export async function agentsApp(c: AgentsCase, runtime: Runtime, workDir: string, tarball: string): Promise<LineApp> {
  const app = await frameworkApp(c, FIXTURES[c.app], runtime, workDir, tarball);
  if (c.app === 'claude-agent') writeClaudeCli(app.dir);
  return app;
}

/** The fake CLI in the app (agents/fake-claude-cli.mjs) and its script (agents/claude-turn.json): one turn with one Bash call. */
function writeClaudeCli(dir: string): void {
  fs.mkdirSync(path.join(dir, 'agents'), { recursive: true });
  fs.copyFileSync(FAKE_CLI, path.join(dir, 'agents', 'fake-claude-cli.mjs'));
  const steps = [
    init(),
    toolUse('msg_lines_1', 'toolu_lines_1', 'Bash', { command: 'echo 21°C' }),
    toolResult('toolu_lines_1', '21°C'),
    assistantText('msg_lines_2', CLAUDE_ANSWER),
    result({ text: CLAUDE_ANSWER, models: CLAUDE_TOKENS }),
  ].map((emit) => ({ emit }));
  fs.writeFileSync(path.join(dir, 'agents', 'claude-turn.json'), JSON.stringify({ steps }));
}

/** Per scenario, the spans and the `run` line the Mastra app printed, once it exited cleanly. */
function mastraOutput(result: ProcessResult): Map<MastraScenario, { spans: ExportedSpan[]; run: Parameters<typeof expectMastraScenario>[2] }> {
  expect(result.stderr, 'stderr').to.equal('');
  expect(result.code).to.equal(0);
  const byScenario = new Map<MastraScenario, { spans: ExportedSpan[]; run: Parameters<typeof expectMastraScenario>[2] }>();
  for (const line of result.stdout.trim().split('\n')) {
    const { scenario, span, run: runLine } = JSON.parse(line) as { scenario: MastraScenario; span?: ExportedSpan; run?: Parameters<typeof expectMastraScenario>[2] };
    const entry = byScenario.get(scenario) ?? byScenario.set(scenario, { spans: [], run: undefined! }).get(scenario)!;
    if (span) entry.spans.push(span);
    if (runLine) entry.run = runLine;
  }
  return byScenario;
}

/** The spans and the `run` line the app printed (a JSON line each), once it exited cleanly. */
export function appOutput<R, S extends ExportedSpan = ExportedSpan>(result: ProcessResult): { spans: S[]; run: R } {
  expect(result.stderr, 'stderr').to.equal('');
  expect(result.code).to.equal(0);
  const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { span?: S; run?: R });
  return { spans: lines.flatMap((l) => (l.span ? [l.span] : [])), run: lines.find((l) => l.run)!.run! };
}

/** The mocha tests of one agents app: its install, then its run. */
export function describeAgentsApp(c: AgentsCase, app: () => LineApp): void {
  describe(c.key, () => {
    const env = { APP_TRACING: c.tracing, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };

    it('adding us to the app brought no peer problem', async () => {
      expect(await installProblems(app())).to.deep.equal([]);
    });

    if (c.app === 'openai-agents' && c.build === 'cjs') {
      it('CommonJS (require): one tree, app span > CHAIN > AGENT > LLM, TOOL, LLM; one LLM span per request; the SDK\'s processor got every span', async () => {
        expectOpenAiAgentsTurn(appOutput(await run(app().runtime, ['openai-agents-app.cjs'], app().dir, env)), 'cjs');
      });
    }

    if (c.app === 'openai-agents' && c.build === 'esm') {
      it('ESM (import, tracing loaded with --import): the ESM copy of the SDK is traced the same', async () => {
        const args = ['--import', './openai-agents-app.cjs', 'openai-agents-app.mjs'];
        expectOpenAiAgentsTurn(appOutput(await run(app().runtime, args, app().dir, env)), 'esm');
      });
    }

    if (c.app === 'claude-agent') {
      it('installed without the Claude Code binary; a CommonJS app import()ing the SDK, no settings: app span > AGENT > TOOL; the CLI got our AGENT span as TRACEPARENT', async () => {
        const binaries = fs.readdirSync(path.join(app().dir, 'node_modules', '@anthropic-ai')).filter((n) => n.startsWith('claude-agent-sdk-'));
        expect(binaries, 'native CLI packages installed').to.deep.equal([]);
        const script = path.join(app().dir, 'agents', 'claude-turn.json');
        expectClaudeTurn(appOutput(await run(app().runtime, ['claude-agent-app.cjs'], app().dir, { ...env, FAKE_CLI_SCRIPT: script })));
      });
    }

    if (c.app === 'mastra') {
      it('ESM app with Mastra\'s OTel bridge: generate(), stream() and a workflow as AGENT, LLM (one per request, exact tokens), TOOL and CHAIN trees', async () => {
        const scenarios = mastraOutput(await run(app().runtime, ['mastra-app.mjs'], app().dir, env));
        expect([...scenarios.keys()]).to.deep.equal(['generate', 'stream', 'workflow']);
        for (const [scenario, { spans, run: runLine }] of scenarios) expectMastraScenario(scenario, spans, runLine);
      });
    }
  });
}
