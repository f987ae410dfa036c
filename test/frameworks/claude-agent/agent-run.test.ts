import { expect } from 'chai';
import { context } from '@opentelemetry/api';
import { resolveConventions } from '../../../lib/config/semconv';
import { ClaudeAgentRun } from '../../../lib/frameworks/claude-agent/agent-run';
import type { CallRuntime } from '../../../lib/instrumentation/llm-call';
import { resolveTraceConfig } from '../../../lib/masking/trace-config';
import { createTracing } from '../../helpers/tracing';
import { init, MODEL, result, subagentPrompt, taskNotification, taskStarted, toolResult, toolUse } from './helpers/cli-script';

/**
 * What one run keeps while its stream goes on: a streaming-input session can last hours and make thousands
 * of tool calls, each with its input and output; only the calls still open may be held.
 */
describe('ClaudeAgentRun (its messages fed directly)', () => {
  const tracing = createTracing();
  const runtime: CallRuntime = { tracer: tracing.provider.getTracer('@infinium/otel'), traceConfig: resolveTraceConfig({}, {}), conventions: resolveConventions({}, {}) };
  const openCalls = (run: ClaudeAgentRun) => (run as unknown as { tools: Map<string, unknown> }).tools.size;

  beforeEach(() => tracing.reset());

  it('a tool call is let go once its result ended its span; a subagent\'s call is kept for the run', async () => {
    const run = new ClaudeAgentRun(runtime, { kind: 'AGENT', name: 'claude-code', agentName: 'claude-code', startedAt: performance.now() }, context.active());
    run.read(init());
    for (let i = 0; i < 50; i++) {
      run.read(toolUse(`msg_${i}`, `toolu_${i}`, 'Bash', { command: `echo ${i}` }));
      expect(openCalls(run)).to.equal(1);
      run.read(toolResult(`toolu_${i}`, `${i}`));
      expect(openCalls(run)).to.equal(0);
    }
    run.read(toolUse('msg_a', 'toolu_A1', 'Agent', { subagent_type: 'general-purpose', prompt: 'Greet' }));
    run.read(taskStarted('toolu_A1', true, 'Greet'));
    run.read(toolResult('toolu_A1', 'Async agent launched successfully'));
    // Launched only: its subagent runs on, and its later calls must still find it.
    expect(openCalls(run)).to.equal(1);
    run.read(subagentPrompt('toolu_A1', 'Greet'));
    run.read(toolUse('msg_b', 'toolu_B1', 'Bash', { command: 'echo hi' }, 'toolu_A1'));
    run.read(toolResult('toolu_B1', 'hi', false, 'toolu_A1'));
    expect(openCalls(run)).to.equal(1);
    run.read(taskNotification('toolu_A1', 'completed', 'Said hi.'));
    // A subagent's call is kept for the run (a message of it read late still nests under it): the only one held.
    expect(openCalls(run)).to.equal(1);
    run.read(result({ text: 'Done.', models: { [MODEL]: { input: 1, output: 1, costUsd: 0 } } }));
    run.done();
    const spans = await tracing.spans();
    expect(spans).to.have.length(54);
    const bash = spans.find((s) => s.attributes['input.value'] === '{"command":"echo hi"}')!;
    const subagent = spans.find((s) => s.name === 'general-purpose')!;
    expect(bash.parentSpanContext?.spanId).to.equal(subagent.spanContext().spanId);
  });
});
