import { expect } from 'chai';
import { z } from 'zod';
import { SpanStatusCode } from '@opentelemetry/api';
import { startOtlpReceiver, OtlpReceiver } from '../../register/otlp-receiver';
import { waitFor } from '../../helpers/wait';
import { BASH_CONVERSATION, DELEGATE_MARKER, DELEGATING_CONVERSATION, FakeAnthropicApi, startFakeAnthropicApi } from './helpers/fake-anthropic';
import { drain, spanNamed, tree, useClaudeHarness } from './helpers/harness';
import { realCliEnv, realCliInstalled } from './helpers/real-cli';

/**
 * The real SDK starting the real Claude Code CLI (its native binary), the CLI talking to a local fake of
 * the Messages API: one turn with a Bash tool call (`echo hi`, allowed by `allowedTools`), then the answer.
 * The CLI's own trace spans, when its telemetry is on, go to a local OTLP/HTTP receiver.
 */
describe('Claude Agent SDK with the real CLI and a fake Anthropic API', function () {
  // The CLI is a large native binary: a cold start on a busy machine takes seconds.
  this.timeout(60_000);
  const harness = useClaudeHarness();
  let api: FakeAnthropicApi;
  let receiver: OtlpReceiver;

  before(async function () {
    if (!realCliInstalled()) this.skip();
    api = await startFakeAnthropicApi();
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await api?.stop();
    await receiver?.stop();
  });

  async function runTurn(telemetry: boolean, server = api, prompt = 'Say hi with bash') {
    const cli = realCliEnv(server.origin, telemetry ? receiver.origin : undefined);
    try {
      const { query } = harness.sdk();
      const messages = await harness.tracing.inParent('app', () => drain(query({ prompt, options: { cwd: cli.cwd, env: cli.env, allowedTools: ['Bash'] } })));
      return { messages, spans: await harness.tracing.spans() };
    } finally {
      cli.cleanup();
    }
  }

  it('one query(): app → AGENT claude-code → TOOL Bash, with the result, the session, the exact usage and the reported cost', async () => {
    const requestsBefore = api.messageRequests().length;
    const { messages, spans } = await runTurn(false);
    const result = messages.find((m) => m.type === 'result')!;
    expect(result.result).to.equal('It said hi.');
    // The CLI made exactly the two model requests of the conversation.
    expect(api.messageRequests().length - requestsBefore).to.equal(2);

    expect(tree(spans)).to.deep.equal(['Bash TOOL <- claude-code', 'claude-code AGENT <- app', 'app - <- root']);
    const agent = spanNamed(spans, 'claude-code');
    const model = result.modelUsage && Object.keys(result.modelUsage)[0];
    const [input1, output1] = BASH_CONVERSATION.turn1Usage;
    const [input2, output2] = BASH_CONVERSATION.turn2Usage;
    expect(agent.status.code).to.equal(SpanStatusCode.OK);
    const [prompt, completion] = [input1 + input2, output1 + output2];
    // The CLI reports its thinking tokens and 1-hour cache writes (0 here) per model: kept as reported.
    const modelUsage = [{ model, usage: { prompt, completion, total: prompt + completion, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, reasoning: 0 }, costUsd: result.total_cost_usd }];
    expect(agent.attributes).to.deep.equal({
      'openinference.span.kind': 'AGENT',
      'agent.name': 'claude-code',
      'session.id': result.session_id,
      'llm.model_name': model,
      'llm.token_count.prompt': prompt,
      'llm.token_count.completion': completion,
      'llm.token_count.total': prompt + completion,
      'llm.token_count.completion_details.reasoning': 0,
      'llm.token_count.prompt_details.cache_read': 0,
      'llm.token_count.prompt_details.cache_write': 0,
      'llm.cost.total': result.total_cost_usd,
      'infinium.cost.source': 'reported',
      'infinium.model_usage': JSON.stringify(modelUsage),
      'output.value': 'It said hi.',
      'output.mime_type': 'text/plain',
      'input.value': 'Say hi with bash',
      'input.mime_type': 'text/plain',
    });

    const tool = spanNamed(spans, 'Bash');
    expect(tool.status.code).to.equal(SpanStatusCode.OK);
    expect(tool.attributes).to.deep.equal({
      'openinference.span.kind': 'TOOL',
      'tool.name': 'Bash',
      'tool_call.id': BASH_CONVERSATION.tool.id,
      'output.value': 'hi',
      'output.mime_type': 'text/plain',
      'input.value': JSON.stringify(BASH_CONVERSATION.tool.input),
      'input.mime_type': 'application/json',
    });
  });

  it("with the CLI's telemetry on, its own spans join the trace: their root is a child of the AGENT span", async () => {
    const { spans } = await runTurn(true);
    const agent = spanNamed(spans, 'claude-code');
    const { traceId, spanId } = agent.spanContext();
    // The CLI exports as it goes and flushes as it exits; wait for the turn's interaction span itself.
    await waitFor(() => receiver.spans.some((s) => s.traceId === traceId && s.name === 'claude_code.interaction'), 'the CLI interaction span', 30_000);
    const cliSpans = receiver.spans.filter((s) => s.traceId === traceId);
    const interaction = cliSpans.find((s) => s.name === 'claude_code.interaction')!;
    expect(interaction.parentSpanId).to.equal(spanId);
    expect(interaction.attributes['parent.source']).to.equal('env');
    const names = cliSpans.map((s) => s.name).sort();
    expect(names.filter((n) => n === 'claude_code.llm_request')).to.have.length(2);
    expect(names.filter((n) => n === 'claude_code.tool')).to.have.length(1);
    // Every CLI span hangs under the interaction (none is a second root in our trace).
    const ids = new Set(cliSpans.map((s) => s.spanId));
    expect(cliSpans.filter((s) => !ids.has(s.parentSpanId ?? '')).map((s) => s.name)).to.deep.equal(['claude_code.interaction']);
  });

  it('a background subagent (the Agent tool, the CLI default): its Bash call under its AGENT under the Agent TOOL; the tokens of every request the API served', async () => {
    const delegating = await startFakeAnthropicApi(DELEGATING_CONVERSATION);
    try {
      const { messages, spans } = await runTurn(false, delegating, `${DELEGATE_MARKER} to a subagent`);
      // The main turn ends before the subagent does; the CLI then runs a second turn with its report.
      const results = messages.filter((m) => m.type === 'result');
      expect(results.length).to.be.at.least(2);
      expect([...tree(spans)].sort()).to.deep.equal([
        'Agent TOOL <- claude-code',
        'Bash TOOL <- general-purpose',
        'app - <- root',
        'claude-code AGENT <- app',
        'general-purpose AGENT <- Agent',
      ]);
      expect(spanNamed(spans, 'general-purpose').status.code).to.equal(SpanStatusCode.OK);
      expect(spanNamed(spans, 'Bash').attributes['output.value']).to.equal('hi');
      const input = delegating.served.reduce((n, [i]) => n + i, 0);
      const output = delegating.served.reduce((n, [, o]) => n + o, 0);
      expect(spanNamed(spans, 'claude-code').attributes).to.deep.include({
        'llm.token_count.prompt': input,
        'llm.token_count.completion': output,
        'llm.cost.total': results.at(-1)!.total_cost_usd,
        'output.value': results.at(-1)!.result,
      });
    } finally {
      await delegating.stop();
    }
  });

  it("an in-process tool (createSdkMcpServer): a TOOL span with the handler's result; the handler runs inside the AGENT span", async () => {
    const greeting = await startFakeAnthropicApi({ ...BASH_CONVERSATION, preamble: 'Greeting.', tool: { id: 'toolu_M1', name: 'mcp__greeter__greet', input: { name: 'Ada' } } });
    const cli = realCliEnv(greeting.origin);
    try {
      const { query, createSdkMcpServer, tool } = harness.sdk();
      const greet = tool('greet', 'Greets someone', { name: z.string() }, async ({ name }) => {
        harness.tracing.provider.getTracer('app').startSpan('greet body').end();
        return { content: [{ type: 'text' as const, text: `Hello, ${name}!` }] };
      });
      const mcpServers = { greeter: createSdkMcpServer({ name: 'greeter', version: '1.0.0', tools: [greet] }) };
      const options = { cwd: cli.cwd, env: cli.env, allowedTools: ['mcp__greeter__greet'], mcpServers };
      await harness.tracing.inParent('app', () => drain(query({ prompt: 'Greet Ada', options })));
      const spans = await harness.tracing.spans();
      // The SDK runs the handler in the query's context (the AGENT span); the TOOL span is made from the messages
      // the app reads, so the handler's spans are its siblings (docs/frameworks/claude-agent-sdk.md, Limits).
      expect(tree(spans)).to.deep.equal(['greet body - <- claude-code', 'mcp__greeter__greet TOOL <- claude-code', 'claude-code AGENT <- app', 'app - <- root']);
      expect(spanNamed(spans, 'mcp__greeter__greet').attributes).to.deep.include({ 'tool.name': 'mcp__greeter__greet', 'input.value': '{"name":"Ada"}', 'output.value': 'Hello, Ada!' });
    } finally {
      cli.cleanup();
      await greeting.stop();
    }
  });
});
