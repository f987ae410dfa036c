import { expect } from 'chai';
import { ROOT_CONTEXT, Span, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { claudeCodeConversion } from '../../lib/processor/claude-code-mapper';
import { InfiniumSpanProcessor, InfiniumSpanProcessorOptions } from '../../lib/processor/span-processor';
import { createTracing, TestTracing } from '../helpers/tracing';
import { spanTree } from '../providers/ai-sdk/helpers';
import { recorded, RecordedSpan, RECORDED_PARENT, Scenario } from './fixtures/claude-code/recorded';

/**
 * The Claude Code CLI's own spans (recorded from the real CLI 2.1.337: fixtures/claude-code/) mapped into
 * OpenInference: `claude_code.llm_request` an LLM span with its model and exact tokens, `claude_code.tool`
 * a TOOL span, the interaction an AGENT, the CLI's inner steps CHAINs. First the pure conversion, then
 * through a real InfiniumSpanProcessor (the spans replayed as the CLI's tracer makes them, under an app span
 * standing for the AGENT span whose TRACEPARENT the CLI got).
 */
describe('claudeCodeConversion (the CLI spans as recorded)', () => {
  const byName = (scenario: Scenario, name: string) => recorded(scenario).filter((s) => s.name === name);

  it('claude_code.llm_request: an Anthropic chat call record with the model, the stop reason and the exact tokens', () => {
    const [first, second] = byName('bash-turn', 'claude_code.llm_request').map((s) => claudeCodeConversion(s));
    for (const [conversion, prompt, completion, finish] of [[first, 100, 20, 'tool_use'], [second, 150, 7, 'end_turn']] as const) {
      expect(conversion!.kind).to.equal('LLM');
      const record = (conversion as unknown as { record: Record<string, unknown> }).record;
      expect(record).to.deep.include({
        operation: 'chat',
        provider: 'anthropic',
        system: 'anthropic',
        requestModel: 'claude-opus-5-5',
        responseModel: 'claude-opus-5-5',
        genAiProvider: 'anthropic',
        finishReason: finish,
        inputMessages: [],
        outputMessages: [],
      });
      expect(record.usage).to.deep.include({ prompt, completion, cacheRead: 0, cacheWrite: 0 });
    }
  });

  it('claude_code.llm_request with cache counts and a failure: the prompt counts the cache as the CLI\'s own gen_ai.usage.input_tokens does; the error by its class', () => {
    const [first] = byName('bash-turn', 'claude_code.llm_request');
    // The CLI writes gen_ai.usage.input_tokens = input_tokens + cache_read_tokens + cache_creation_tokens (CLI 2.1.337).
    const attributes = { ...first.attributes, cache_read_tokens: 30, cache_creation_tokens: 20, 'gen_ai.usage.input_tokens': 150, success: false, error: 'Overloaded', error_class: 'api_error', request_id: 'req_1' };
    const record = (claudeCodeConversion({ ...first, attributes }) as unknown as { record: Record<string, unknown> }).record;
    expect(record.usage).to.deep.equal({ prompt: 150, completion: 20, cacheRead: 30, cacheWrite: 20 });
    expect(record.error).to.deep.equal({ type: 'api_error', message: 'Overloaded' });
    expect(record.responseId).to.equal('req_1');
    // Only the GenAI sum (the CLI's raw counts missing): it stands as the prompt.
    const { input_tokens: _input, ...genAiOnly } = { ...first.attributes, 'gen_ai.usage.input_tokens': 150 } as Record<string, unknown>;
    const fallback = (claudeCodeConversion({ ...first, attributes: genAiOnly as typeof first.attributes }) as unknown as { record: { usage: { prompt: number } } }).record;
    expect(fallback.usage.prompt).to.equal(150);
  });

  it('claude_code.tool: a TOOL with the tool name, the call id and the command (OTEL_LOG_TOOL_DETAILS)', () => {
    expect(byName('bash-turn', 'claude_code.tool').map((s) => claudeCodeConversion(s))).to.deep.equal([
      { kind: 'TOOL', attributes: { 'openinference.span.kind': 'TOOL', 'tool.name': 'Bash', 'tool_call.id': 'toolu_01', 'input.value': 'echo hi', 'input.mime_type': 'text/plain' } },
    ]);
    // The Agent tool of a subagent: no command, so no input.
    expect(byName('subagent-turn', 'claude_code.tool').map((s) => (claudeCodeConversion(s) as { attributes: unknown }).attributes)).to.deep.equal([
      { 'openinference.span.kind': 'TOOL', 'tool.name': 'Bash', 'tool_call.id': 'toolu_01', 'input.value': 'echo hi', 'input.mime_type': 'text/plain' },
      { 'openinference.span.kind': 'TOOL', 'tool.name': 'Agent', 'tool_call.id': 'toolu_A1' },
    ]);
  });

  it('claude_code.interaction: an AGENT named claude-code with the prompt (OTEL_LOG_USER_PROMPTS); withheld prompts stay out', () => {
    const [interaction] = byName('bash-turn', 'claude_code.interaction');
    expect(claudeCodeConversion(interaction)).to.deep.equal({
      kind: 'AGENT',
      attributes: { 'openinference.span.kind': 'AGENT', 'agent.name': 'claude-code', 'input.value': 'Say hi with bash', 'input.mime_type': 'text/plain' },
    });
    // Without OTEL_LOG_USER_PROMPTS the CLI writes "<REDACTED>": no input then.
    const withheld = { ...interaction, attributes: { ...interaction.attributes, user_prompt: '<REDACTED>' } };
    expect(claudeCodeConversion(withheld)).to.deep.equal({ kind: 'AGENT', attributes: { 'openinference.span.kind': 'AGENT', 'agent.name': 'claude-code' } });
  });

  it("the CLI's inner steps (permission wait, tool execution) are CHAINs; spans of any other scope are not the CLI's", () => {
    for (const name of ['claude_code.tool.blocked_on_user', 'claude_code.tool.execution']) {
      expect(byName('bash-turn', name).map((s) => claudeCodeConversion(s))).to.deep.equal([{ kind: 'CHAIN', attributes: { 'openinference.span.kind': 'CHAIN' } }]);
    }
    const [inner] = byName('bash-turn', 'claude_code.tool.execution');
    expect(claudeCodeConversion({ ...inner, instrumentationScope: { name: 'some-other-lib' } })).to.equal(undefined);
    expect(claudeCodeConversion({ name: 'chat gpt-4o', attributes: {}, instrumentationScope: { name: 'com.anthropic.claude_code.tracing' } })).to.equal(undefined);
  });
});

/** Replays the recorded spans as the CLI's tracer made them, under an app span in place of the CLI's parent. */
function replay(tracing: TestTracing, spans: readonly RecordedSpan[]): void {
  const app = tracing.provider.getTracer('app').startSpan('app', {}, ROOT_CONTEXT);
  const live = new Map<string, Span>([[RECORDED_PARENT.spanId, app]]);
  const start = (parentId: string) => {
    const children = spans.filter((s) => s.parentSpanId === parentId).sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
    for (const s of children) {
      const tracer = tracing.provider.getTracer(s.instrumentationScope.name, s.instrumentationScope.version);
      live.set(s.spanId, tracer.startSpan(s.name, { kind: s.kind, startTime: s.startTime }, trace.setSpan(ROOT_CONTEXT, live.get(parentId)!)));
      start(s.spanId);
    }
  };
  start(RECORDED_PARENT.spanId);
  // Ended in the order the CLI exported them, each with what the CLI set before ending it.
  for (const s of spans) {
    const span = live.get(s.spanId)!;
    span.setAttributes(s.attributes);
    for (const event of s.events) span.addEvent(event.name, event.attributes, event.time);
    if (s.status.code !== SpanStatusCode.UNSET) span.setStatus(s.status);
    span.end(s.endTime);
  }
  app.end();
}

async function run(scenario: Scenario, options: InfiniumSpanProcessorOptions = {}): Promise<ReadableSpan[]> {
  const tracing = createTracing([new InfiniumSpanProcessor(options)]);
  replay(tracing, recorded(scenario));
  return tracing.spans();
}

describe('The Claude Code CLI spans through the processor (InfiniumSpanProcessor.onEnding)', () => {
  const llmSpans = (spans: ReadableSpan[]) => spans.filter((s) => s.name === 'claude_code.llm_request');

  it('one turn with a Bash call: AGENT > LLM, TOOL > CHAINs, LLM; each LLM span with its own exact tokens and model', async () => {
    const spans = await run('bash-turn');
    expect(spanTree(spans)).to.equal([
      'app',
      '  claude_code.interaction [AGENT]',
      '    claude_code.llm_request [LLM]',
      '    claude_code.tool [TOOL]',
      '      claude_code.tool.blocked_on_user [CHAIN]',
      '      claude_code.tool.execution [CHAIN]',
      '    claude_code.llm_request [LLM]',
    ].join('\n'));
    const [first, second] = llmSpans(spans);
    expect(first.attributes).to.include({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'anthropic',
      'llm.system': 'anthropic',
      'llm.model_name': 'claude-opus-5-5',
      'llm.token_count.prompt': 100,
      'llm.token_count.completion': 20,
      'llm.token_count.total': 120,
    });
    expect(second.attributes).to.include({ 'llm.token_count.prompt': 150, 'llm.token_count.completion': 7, 'llm.token_count.total': 157 });
    const tool = spans.find((s) => s.name === 'claude_code.tool')!;
    expect(tool.attributes).to.include({ 'openinference.span.kind': 'TOOL', 'tool.name': 'Bash', 'tool_call.id': 'toolu_01', 'input.value': 'echo hi' });
    const agent = spans.find((s) => s.name === 'claude_code.interaction')!;
    expect(agent.attributes).to.include({ 'openinference.span.kind': 'AGENT', 'agent.name': 'claude-code', 'input.value': 'Say hi with bash' });
  });

  it('a foreground subagent: its LLM and TOOL spans under the Agent tool, every LLM span with its own tokens', async () => {
    const spans = await run('subagent-turn');
    expect(spanTree(spans)).to.equal([
      'app',
      '  claude_code.interaction [AGENT]',
      '    claude_code.llm_request [LLM]',
      '    claude_code.tool [TOOL]',
      '      claude_code.tool.blocked_on_user [CHAIN]',
      '      claude_code.tool.execution [CHAIN]',
      '        claude_code.llm_request [LLM]',
      '        claude_code.tool [TOOL]',
      '          claude_code.tool.blocked_on_user [CHAIN]',
      '          claude_code.tool.execution [CHAIN]',
      '        claude_code.llm_request [LLM]',
      '    claude_code.llm_request [LLM]',
    ].join('\n'));
    expect(llmSpans(spans).map((s) => [s.attributes['llm.token_count.prompt'], s.attributes['llm.token_count.completion']])).to.have.deep.members([
      [100, 20], [100, 20], [150, 7], [150, 7],
    ]);
  });

  it('capture off: no text of the CLI (prompt, command, tool output) is left on any span; kinds, names and tokens stay', async () => {
    const spans = await run('bash-turn', { captureContent: false } as InfiniumSpanProcessorOptions);
    const exported = JSON.stringify(spans.map((s) => [s.attributes, s.events.map((e) => e.attributes)]));
    for (const text of ['Say hi with bash', 'echo hi', '"hi"']) expect(exported, text).to.not.include(text);
    expect(llmSpans(spans).map((s) => s.attributes['llm.token_count.total'])).to.deep.equal([120, 157]);
    expect(spans.find((s) => s.name === 'claude_code.tool')!.attributes['tool.name']).to.equal('Bash');
  });
});
