import { expect } from 'chai';
import { DEFAULT_CONVENTIONS } from '../../lib/config/semconv';
import { resolveTraceConfig } from '../../lib/masking/trace-config';
import { renderRunRecord } from '../../lib/semconv/render-run';
import { BOTH, GEN_AI_ONLY, run } from './run-records';

/** The agent SDKs' parts of a run record: guardrail verdicts, handoffs, and usage and cost reported for calls we did not see. */
describe('renderRunRecord: agent SDK runs', () => {
  const config = resolveTraceConfig({}, {});

  it('GUARDRAIL: the verdict, false as well as true', () => {
    expect(renderRunRecord(run({ kind: 'GUARDRAIL', name: 'math_homework', guardrail: { triggered: false } }), config, DEFAULT_CONVENTIONS))
      .to.deep.equal({ 'openinference.span.kind': 'GUARDRAIL', 'infinium.guardrail.triggered': false });
    expect(renderRunRecord(run({ kind: 'GUARDRAIL', name: 'math_homework', guardrail: { triggered: true } }), config, DEFAULT_CONVENTIONS))
      .to.deep.equal({ 'openinference.span.kind': 'GUARDRAIL', 'infinium.guardrail.triggered': true });
  });

  it('a handoff names both agents', () => {
    const record = run({ kind: 'TOOL', name: 'handoff to French agent', handoff: { fromAgent: 'Triage', toAgent: 'French agent' } });
    expect(renderRunRecord(record, config, DEFAULT_CONVENTIONS)).to.deep.equal({
      'openinference.span.kind': 'TOOL', 'tool.name': 'handoff to French agent',
      'infinium.handoff.from_agent': 'Triage', 'infinium.handoff.to_agent': 'French agent',
    });
  });

  it('AGENT with reported usage and cost: token counts (no llm.prompt_tokens), the cost and its source, per-model usage as JSON', () => {
    const record = run({
      kind: 'AGENT', name: 'claude-code', agentName: 'claude-code', model: 'claude-sonnet-4-5',
      usage: { prompt: 1200, completion: 80, cacheRead: 1000, cacheWrite: 150 },
      modelUsage: [{ model: 'claude-sonnet-4-5', usage: { prompt: 1200, completion: 80 }, costUsd: 0.0048 }],
      reportedCostUsd: 0.0048,
    });
    expect(Object.entries(renderRunRecord(record, config, DEFAULT_CONVENTIONS))).to.deep.equal([
      ['openinference.span.kind', 'AGENT'], ['agent.name', 'claude-code'], ['llm.model_name', 'claude-sonnet-4-5'],
      ['llm.token_count.prompt', 1200], ['llm.token_count.completion', 80], ['llm.token_count.total', 1280],
      ['llm.token_count.prompt_details.cache_read', 1000], ['llm.token_count.prompt_details.cache_write', 150],
      ['llm.cost.total', 0.0048], ['infinium.cost.source', 'reported'],
      ['infinium.model_usage', '[{"model":"claude-sonnet-4-5","usage":{"prompt":1200,"completion":80},"costUsd":0.0048}]'],
    ]);
  });

  it('a reported cost that is not a finite non-negative number is left out, with its source', () => {
    for (const reportedCostUsd of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const a = renderRunRecord(run({ kind: 'AGENT', name: 'a', reportedCostUsd }), config, DEFAULT_CONVENTIONS);
      expect(a).to.not.have.any.keys('llm.cost.total', 'infinium.cost.source');
    }
  });

  it('GenAI: an agent run gets its model and usage in invoke_agent keys; alone, no OpenInference key', () => {
    const record = run({ kind: 'AGENT', name: 'claude-code', model: 'claude-sonnet-4-5', usage: { prompt: 10, completion: 2, cacheRead: 4 } });
    expect(renderRunRecord(record, config, GEN_AI_ONLY)).to.deep.equal({
      'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'claude-code', 'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 2, 'gen_ai.usage.cache_read.input_tokens': 4,
    });
    expect(renderRunRecord(record, config, BOTH)).to.include({ 'llm.token_count.prompt': 10, 'gen_ai.usage.input_tokens': 10 });
  });

  it('capture off keeps the verdict, the handoff names, the model, tokens and cost', () => {
    const hidden = resolveTraceConfig({ captureContent: false }, {});
    const record = run({
      kind: 'AGENT', name: 'a', input: 'secret', output: 'secret', handoff: { fromAgent: 'A', toAgent: 'B' }, model: 'm',
      usage: { prompt: 3, completion: 1 }, reportedCostUsd: 0.5,
    });
    const a = renderRunRecord(record, hidden, DEFAULT_CONVENTIONS);
    expect(a).to.include({
      'infinium.handoff.from_agent': 'A', 'infinium.handoff.to_agent': 'B', 'llm.model_name': 'm', 'llm.token_count.prompt': 3,
      'llm.cost.total': 0.5,
    });
    expect(JSON.stringify(a)).to.not.include('secret');
  });
});
