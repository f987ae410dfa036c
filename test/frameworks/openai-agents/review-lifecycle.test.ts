import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { RUN_ABANDONED_EVENT } from '../../../lib/frameworks/run-span';
import { collectUntil } from '../../helpers/gc';
import { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';
import { calls, says, scripted } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import { expectAllEnded, expectOneTree, ofKind, only, outline, WEATHER_QUESTION } from './tree';

const LLM = `chat ${REQUEST_MODEL} LLM`;
const ROOT = path.resolve(__dirname, '..', '..', '..');

/** White-box: the bridge is the lookup of the storage we installed; what it keeps per span and per trace. */
type BridgeMaps = Record<string, Map<unknown, unknown>> | undefined;
function currentBridge(): BridgeMaps {
  const storage = (globalThis as Record<symbol, unknown>)[Symbol.for('openai.agents.core.asyncLocalStorage')] as { lookup?: BridgeMaps };
  return storage.lookup;
}
function bridgeSizes(bridge = currentBridge()) {
  return { spans: bridge?.spans?.size, traces: bridge?.traces?.size };
}

describe('OpenAI Agents review: the instrumentation turned off or on mid-run, two instances, two builds of the SDK', function () {
  this.timeout(30_000);
  const suite = useAgentsSuite();
  const { tracing } = suite;

  /** A tool that waits in its body until released: the run is in flight while the test acts. */
  function gatedTool() {
    let release!: () => void;
    let entered!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const tool = suite.agents.tool({
      name: 'slow',
      description: 'Waits.',
      parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
      strict: true,
      execute: async () => {
        entered();
        await gate;
        return 'done';
      },
    });
    return { tool, inside, release };
  }

  function slowAgent(tool: ReturnType<typeof gatedTool>['tool']) {
    return new suite.agents.Agent({ name: 'Slow agent', instructions: 'Wait.', model: REQUEST_MODEL, tools: [tool] });
  }

  it('disable() while a tool runs: the spans still open end at once, abandoned, nothing is kept, the run finishes untraced and unchanged', async () => {
    const { tool, inside, release } = gatedTool();
    suite.server.handle(scripted([calls('slow', {}, 1), says('Done.', 2)]));
    const running = tracing.inParent('app', () => suite.agents.run(slowAgent(tool), WEATHER_QUESTION));
    await inside;
    const bridge = currentBridge();
    expect(bridgeSizes(bridge)).to.deep.equal({ spans: 5, traces: 1 }); // task, agent, turn, response, function
    let result;
    try {
      suite.instrumentation.disable();
      expect(suite.openSpans.names(), 'spans still open (the app\'s own is)').to.deep.equal(['app']);
      expect(bridgeSizes(bridge)).to.deep.equal({ spans: 0, traces: 0 });
      release();
      result = await running;
    } finally {
      suite.instrumentation.enable();
    }
    expect(result.finalOutput).to.equal('Done.');
    expect(suite.server.requests).to.have.length(2);
    const spans = await tracing.spans();
    expectOneTree(spans);
    // The second request was made with the instrumentation off: no span of ours.
    expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Slow agent AGENT', `      ${LLM}`, '      slow TOOL']);
    for (const name of ['Agent workflow', 'Slow agent', 'slow']) expect(only(spans, name).events.map((e) => e.name), name).to.deep.equal([RUN_ABANDONED_EVENT]);
    expectAllEnded(suite);
  });

  it('enable() while a tool runs, then the run fails (the SDK then ends no trace): the spans seen end, nothing is kept', async () => {
    const { tool, inside, release } = gatedTool();
    suite.server.handle(scripted([calls('slow', {}, 1)])); // the second request is an HTTP 500
    suite.instrumentation.disable();
    let running;
    try {
      running = tracing.inParent('app', () => suite.agents.run(slowAgent(tool), WEATHER_QUESTION));
      await inside;
    } finally {
      suite.instrumentation.enable();
    }
    release();
    const error = await running.then(() => undefined, (err: unknown) => err);
    expect((error as Error).constructor.name).to.equal('InternalServerError');
    const spans = await tracing.spans();
    expect(outline(spans)).to.deep.equal(['app -', `  ${LLM}`]);
    expectAllEnded(suite);
    expect(bridgeSizes()).to.deep.equal({ spans: 0, traces: 0 });
  });

  it('traces the SDK never ends (a withTrace body that throws): let go of once collected, and a custom span left open in one ends, abandoned', async () => {
    const bridge = currentBridge();
    for (let i = 0; i < 20; i++) await suite.agents.withTrace('fails early', async () => Promise.reject(new Error('early'))).catch(() => undefined);
    await tracing.inParent('app', () =>
      suite.agents
        .withTrace('fails late', async () => {
          suite.agents.createCustomSpan({ data: { name: 'left open', data: {} } }).start();
          throw new Error('late');
        })
        .catch(() => undefined),
    );
    expect(bridgeSizes(bridge)).to.deep.equal({ spans: 1, traces: 21 });
    expect(suite.openSpans.names()).to.deep.equal(['left open']);
    // The SDK's own batch processor holds traces until it exports (it skips, with no key): emptied now.
    await suite.agents.getGlobalTraceProvider().forceFlush();
    await collectUntil(async () => bridgeSizes(bridge).traces === 0 && suite.openSpans.open.size === 0);
    expect(bridgeSizes(bridge)).to.deep.equal({ spans: 0, traces: 0 });
    const spans = await tracing.spans();
    expect(outline(spans)).to.deep.equal(['app -', '  left open CHAIN']);
    expect(only(spans, 'left open').events.map((e) => e.name)).to.deep.equal([RUN_ABANDONED_EVENT]);
  });

  it('two runs at once with the same trace id (a run config\'s traceId): the first one\'s end leaves the second\'s spans running; each ends as its run does', async () => {
    const { tool, inside, release } = gatedTool();
    // The fast run's request and the slow run's first and last.
    suite.server.handle((request) => {
      const slow = JSON.stringify(request.body).includes('Wait.');
      const toolDone = JSON.stringify(request.body).includes('function_call_output');
      return scripted([slow ? (toolDone ? says('Done.', 3) : calls('slow', {}, 2)) : says('Fast.', 1)])(request);
    });
    const runner = new suite.agents.Runner({ traceId: 'trace_0123456789abcdef0123456789abcdef' });
    const fast = new suite.agents.Agent({ name: 'Fast agent', instructions: 'Answer.', model: REQUEST_MODEL });
    await tracing.inParent('app', async () => {
      const slowRun = runner.run(slowAgent(tool), WEATHER_QUESTION);
      await inside;
      await runner.run(fast, WEATHER_QUESTION);
      release();
      await slowRun;
    });
    const spans = await tracing.spans();
    expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Slow agent AGENT', `      ${LLM}`, '      slow TOOL', `      ${LLM}`, '  Agent workflow CHAIN', '    Fast agent AGENT', `      ${LLM}`]);
    expect(spans.filter((s) => s.events.some((e) => e.name === RUN_ABANDONED_EVENT)).map((s) => s.name), 'abandoned').to.deep.equal([]);
    expectAllEnded(suite);
    expect(bridgeSizes()).to.deep.equal({ spans: 0, traces: 0 });
  });

  it('a second instrumentation instance patching the SDK again: one tree, one LLM span per request, never two', async () => {
    const second = new InfiniumInstrumentation({ providers: ['openai-agents', 'openai'] });
    second.setTracerProvider(tracing.provider);
    second.enable();
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      second.manuallyInstrument(require('@openai/agents-core'));
      suite.server.handle(scripted([calls('get_weather', { city: 'Paris' }, 1), says('Sunny.', 2)]));
      const agent = new suite.agents.Agent({ name: 'Weather agent', instructions: 'Answer.', model: REQUEST_MODEL, tools: [suite.weatherTool()] });
      await tracing.inParent('app', () => suite.agents.run(agent, WEATHER_QUESTION));
      const spans = await tracing.spans();
      expectOneTree(spans);
      expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', `      ${LLM}`, '      get_weather TOOL', `      ${LLM}`]);
      expect(ofKind(spans, 'LLM')).to.have.length(suite.server.requests.length);
      expectAllEnded(suite);
    } finally {
      second.disable();
      // The second instance's disable() took every wrapper of ours off: the suite's instance puts its own back.
      suite.instrumentation.disable();
      suite.instrumentation.enable();
    }
  });

  /** Reads one event of a streamed run and leaves it (the stream of a failed request throws instead). */
  async function leaveStream(streamed: AsyncIterable<unknown> & { completed: Promise<void> }): Promise<void> {
    try {
      for await (const event of streamed) {
        void event;
        break;
      }
    } catch {
      // the run failed: what the app sees without us too
    }
    await streamed.completed.catch(() => undefined);
  }

  it('a long-running app: a thousand runs (plain, failed, tripped, streamed and left) keep nothing per run', async function () {
    this.timeout(120_000);
    const tripwire = { name: 'no', runInParallel: false, execute: async () => ({ tripwireTriggered: true, outputInfo: {} }) };
    const agent = (options: Record<string, unknown> = {}) => new suite.agents.Agent({ name: 'A', instructions: 'x', model: REQUEST_MODEL, ...options });
    let served = 0;
    // Every 4th request fails (HTTP 500); the others answer at once.
    suite.server.handle((request) => (++served % 4 === 0 ? { status: 500, json: { error: { message: 'boom' } } } : scripted([says('Hi.', 1)])(request)));
    const peak = { spans: 0, traces: 0 };
    for (let i = 0; i < 250; i++) {
      await suite.agents.run(agent(), 'Hi').catch(() => undefined);
      await suite.agents.run(agent({ inputGuardrails: [tripwire] }), 'Hi').catch(() => undefined);
      await leaveStream(await suite.agents.run(agent(), 'Hi', { stream: true }));
      await suite.agents.withTrace('left open', async () => suite.agents.createCustomSpan({ data: { name: 'never ended', data: {} } }).start());
      const sizes = bridgeSizes();
      peak.spans = Math.max(peak.spans, sizes.spans ?? 0);
      peak.traces = Math.max(peak.traces, sizes.traces ?? 0);
    }
    expect(bridgeSizes()).to.deep.equal({ spans: 0, traces: 0 });
    expect(peak).to.deep.equal({ spans: 0, traces: 0 });
    expectAllEnded(suite);
  });
});

describe('OpenAI Agents review: both builds of the SDK in one process (its ESM import and a CommonJS require)', () => {
  it('runs through either build, one after the other and at once: each run one tree, once; each request one LLM span; each agent its input and output', async function () {
    this.timeout(60_000);
    const app = path.join(__dirname, 'review-fixtures', 'dual-app.mjs');
    const env = { ...process.env, OPENAI_API_KEY: '', OPENAI_AGENTS_DISABLE_TRACING: '' };
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', app], { cwd: ROOT, env });
    const out = JSON.parse(stdout.trim()) as { requests: number; cjsCoreLoaded: boolean; distinctClasses: boolean; tree: string[]; agentsIo: string[] };
    expect({ requests: out.requests, cjsCoreLoaded: out.cjsCoreLoaded, distinctClasses: out.distinctClasses }).to.deep.equal({ requests: 4, cjsCoreLoaded: true, distinctClasses: true });
    const run = (build: string) => ['  Agent workflow CHAIN', `    ${build} agent AGENT`, `      ${LLM}`];
    expect(out.tree.slice(0, 7)).to.deep.equal(['sequential -', ...run('ESM'), ...run('CJS')]);
    // The concurrent runs' trees, in whichever order they started.
    expect(out.tree[7]).to.equal('concurrent -');
    expect([out.tree.slice(8, 11), out.tree.slice(11, 14)].map((lines) => lines.join('\n')).sort()).to.deep.equal([run('CJS').join('\n'), run('ESM').join('\n')]);
    expect(out.tree).to.have.length(14);
    expect([...out.agentsIo].sort()).to.deep.equal(['CJS agent: Hi -> From CJS.', 'CJS agent: Hi -> From CJS.', 'ESM agent: Hi -> From ESM.', 'ESM agent: Hi -> From ESM.']);
  });
});

describe('OpenAI Agents review: disable() and enable() in an ESM app (the SDK\'s .mjs build, patched through the loader hook)', () => {
  it('disabled: the SDK\'s own storage, processor and runner methods back, a run makes no span of ours; enabled again: traced again', async function () {
    this.timeout(60_000);
    const app = path.join(__dirname, 'review-fixtures', 'esm-disable-app.mjs');
    const env = { ...process.env, OPENAI_API_KEY: '', OPENAI_AGENTS_DISABLE_TRACING: '' };
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', app], { cwd: ROOT, env });
    const ours = { storage: 'BridgedStorage', processor: 'bridgedProcessorEvent', emit: 'emitWithRunValues' };
    expect(JSON.parse(stdout.trim())).to.deep.equal({
      enabled: ours,
      disabled: { storage: 'AsyncLocalStorage', processor: 'onSpanStart', emit: 'emit' },
      enabledAgain: ours,
      tree: ['disabled -', 'enabled -', '  Agent workflow CHAIN', '    Agent AGENT', `      ${LLM}`],
    });
  });
});
