import { expect } from 'chai';

/** What e2e-app.cjs prints: every exported span with its parent's name and its attributes. */
export interface E2eSummary {
  spans: SpanSummary[];
  tree: string;
}

interface SpanSummary {
  name: string;
  scope: string;
  parent: string | null;
  sameTrace: boolean | null;
  status: number;
  attributes: Record<string, unknown>;
}

const OK = 1;
const UNSET = 0;
const LLM_KEYS = [
  'openinference.span.kind', 'llm.provider', 'llm.system', 'llm.model_name', 'llm.model',
  'llm.token_count.prompt', 'llm.token_count.completion', 'llm.token_count.total', 'llm.prompt_tokens', 'llm.completion_tokens',
  'llm.finish_reason', 'llm.input_messages.0.message.content', 'llm.output_messages.0.message.content',
];
const ROLL_UP_KEYS = ['openinference.span.kind', 'infinium.service', 'infinium.llm_call_count', 'infinium.prompt_fetch_count', 'infinium.cost_usd', 'infinium.unpriced_llm_call_count'];
const COST_KEYS = ['llm.cost.prompt', 'llm.cost.completion', 'llm.cost.total', 'llm.cost.prompt_details.cache_read', 'llm.cost.prompt_details.cache_write'];

const byJson = (a: unknown, b: unknown): number => JSON.stringify(a).localeCompare(JSON.stringify(b));

function pick(attributes: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => attributes[k] !== undefined).map((k) => [k, attributes[k]]));
}

/** One LLM span's expected OpenInference + Infinium keys (LLM_KEYS). */
function llmKeys(provider: string, system: string, model: string, tokens: [number, number, number], finish: string, said: [string, string]) {
  const [prompt, completion, total] = tokens;
  return {
    'openinference.span.kind': 'LLM', 'llm.provider': provider, 'llm.system': system, 'llm.model_name': model, 'llm.model': model,
    'llm.token_count.prompt': prompt, 'llm.token_count.completion': completion, 'llm.token_count.total': total,
    'llm.prompt_tokens': prompt, 'llm.completion_tokens': completion, 'llm.finish_reason': finish,
    'llm.input_messages.0.message.content': said[0], 'llm.output_messages.0.message.content': said[1],
  };
}

/** The same, plus the GenAI keys a chat span carries with both conventions on (MORE_SDK_KEYS). */
function llmSpan(provider: string, system: string, model: string, tokens: [number, number, number], finish: string, said: [string, string], genAiProvider: string) {
  return {
    ...llmKeys(provider, system, model, tokens, finish, said),
    'gen_ai.provider.name': genAiProvider, 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': tokens[0], 'gen_ai.usage.output_tokens': tokens[1],
  };
}

/** The same exact spans, links and values on every line and Node version. */
export function expectE2eSummary(summary: E2eSummary): void {
  // Spans are exported as they end; which of a parent and its child ends first is not part of the contract.
  const shape = summary.spans.map((s) => [s.name, s.scope, s.parent, s.sameTrace, s.status]).sort(byJson);
  expect(shape).to.deep.equal([
    ['chat gpt-4o-mini', '@infinium/otel', 'agent', true, OK],
    ['chat gpt-4o-mini', '@infinium/otel', 'agent', true, OK],
    ['chat claude-sonnet-4-6', '@infinium/otel', 'agent', true, OK],
    // The Anthropic SDK's own span: a plain child of ours, neither converted nor counted.
    ['anthropic.messages.create', 'com.anthropic.sdk.typescript', 'chat claude-sonnet-4-6', true, OK],
    ['generate_content gemini-2.5-flash', '@infinium/otel', 'agent', true, OK],
    ['agent', '@infinium/otel/trace', null, null, OK],
    ['chat gpt-4o', 'infinium', 'imported', true, OK],
    ['imported', 'infinium', null, null, UNSET],
  ].sort(byJson));
  const named = (name: string, scope = '@infinium/otel') => summary.spans.filter((s) => s.name === name && s.scope === scope);
  const [chat, stream] = named('chat gpt-4o-mini');
  const [claude] = named('chat claude-sonnet-4-6');
  const [claudeSdk] = named('anthropic.messages.create', 'com.anthropic.sdk.typescript');
  const [gemini] = named('generate_content gemini-2.5-flash');
  const [agent] = named('agent', '@infinium/otel/trace');
  const [importedCall] = named('chat gpt-4o', 'infinium');
  const [imported] = named('imported', 'infinium');
  expect(pick(chat.attributes, LLM_KEYS)).to.deep.equal(llmKeys('openai', 'openai', 'gpt-4o-mini-2024-07-18', [19, 10, 29], 'stop', ['Say hi', 'Hello there!']));
  expect(chat.attributes['llm.token_count.prompt_details.cache_read']).to.equal(4);
  expect(chat.attributes['llm.token_count.completion_details.reasoning']).to.equal(2);
  expect(pick(stream.attributes, LLM_KEYS)).to.deep.equal(llmKeys('openai', 'openai', 'gpt-4o-mini-2024-07-18', [12, 7, 19], 'tool_calls', ['Stream hi', 'Let me check.']));
  expect(stream.attributes['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
  expect(stream.attributes['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Paris"}');
  expect(pick(claude.attributes, LLM_KEYS)).to.deep.equal(llmKeys('anthropic', 'anthropic', 'claude-sonnet-4-6-20260217', [312, 9, 321], 'end_turn', ['Hi Claude', 'Hello there!']));
  expect(claudeSdk.attributes['openinference.span.kind']).to.equal(undefined);
  expect(pick(gemini.attributes, LLM_KEYS)).to.deep.equal(llmKeys('google', 'vertexai', 'gemini-2.0-flash-001', [12, 5, 17], 'STOP', ['Hi Gemini', 'Hello there!']));
  // Cost at the list prices of the table the packed package depends on (@pydantic/genai-prices), per million:
  // gpt-4o-mini 0.15 / 0.075 cached / 0.60: chat (15 × 0.15 + 4 × 0.075 + 10 × 0.6) / 1e6 = 0.00000855,
  //   stream (12 × 0.15 + 7 × 0.6) / 1e6 = 0.000006;
  // claude-sonnet-4-6 3 / 3.75 cache write / 0.30 cache read / 15: (12 × 3 + 100 × 3.75 + 200 × 0.3) / 1e6 = 0.000471
  //   prompt, 9 × 15 / 1e6 = 0.000135 completion, 0.000606 in all;
  // gemini-2.0-flash 0.10 / 0.40: (12 × 0.1 + 5 × 0.4) / 1e6 = 0.0000032.
  expect(pick(chat.attributes, COST_KEYS)).to.deep.equal({
    'llm.cost.prompt': 0.00000255, 'llm.cost.completion': 0.000006, 'llm.cost.total': 0.00000855, 'llm.cost.prompt_details.cache_read': 0.0000003,
  });
  expect(pick(stream.attributes, COST_KEYS)).to.deep.equal({ 'llm.cost.prompt': 0.0000018, 'llm.cost.completion': 0.0000042, 'llm.cost.total': 0.000006 });
  expect(pick(claude.attributes, COST_KEYS)).to.deep.equal({
    'llm.cost.prompt': 0.000471, 'llm.cost.completion': 0.000135, 'llm.cost.total': 0.000606,
    'llm.cost.prompt_details.cache_read': 0.00006, 'llm.cost.prompt_details.cache_write': 0.000375,
  });
  expect(pick(gemini.attributes, COST_KEYS)).to.deep.equal({ 'llm.cost.prompt': 0.0000012, 'llm.cost.completion': 0.000002, 'llm.cost.total': 0.0000032 });
  expect(pick(claudeSdk.attributes, COST_KEYS)).to.deep.equal({});
  expect(pick(agent.attributes, ROLL_UP_KEYS)).to.deep.equal({
    'openinference.span.kind': 'AGENT', 'infinium.service': 'lines-app', 'infinium.llm_call_count': 4, 'infinium.prompt_fetch_count': 1,
    // 0.00000855 + 0.000006 + 0.000606 + 0.0000032
    'infinium.cost_usd': 0.00062375, 'infinium.unpriced_llm_call_count': 0,
  });
  expect(pick(importedCall.attributes, [...LLM_KEYS, 'llm.latency_ms'])).to.deep.equal({
    'openinference.span.kind': 'LLM', 'llm.provider': 'openai', 'llm.system': 'openai', 'llm.model_name': 'gpt-4o', 'llm.model': 'gpt-4o',
    'llm.token_count.prompt': 5, 'llm.token_count.completion': 7, 'llm.token_count.total': 12,
    'llm.prompt_tokens': 5, 'llm.completion_tokens': 7, 'llm.latency_ms': 2,
  });
  expect(importedCall.attributes['llm.cost.total']).to.equal(0.0000825);
  expect(pick(imported.attributes, [...ROLL_UP_KEYS, 'infinium.duration_s'])).to.deep.equal({
    'openinference.span.kind': 'CHAIN', 'infinium.service': 'imported-svc', 'infinium.duration_s': 1.5,
    'infinium.llm_call_count': 1, 'infinium.prompt_fetch_count': 1,
    // The imported gpt-4o call is priced as our own are: 5 × 2.50 + 7 × 10.00 per million tokens.
    'infinium.cost_usd': 0.0000825, 'infinium.unpriced_llm_call_count': 0,
  });
  // The tree view printed both traces, each with its roll-up (the agent's duration: `812ms`, or `1.06s` on a loaded machine).
  expect(summary.tree).to.match(/^agent \[AGENT\] (?:\d+ms|\d+\.\d\ds)\n│  infinium\.service=lines-app infinium\.duration_s=[\d.]+ infinium\.llm_call_count=4 infinium\.prompt_fetch_count=1 infinium\.cost_usd=0\.00062375 infinium\.unpriced_llm_call_count=0$/m);
  expect(summary.tree).to.include('├─ chat claude-sonnet-4-6 [LLM] anthropic/claude-sonnet-4-6-20260217 tokens=312+9=321 cost=$0.000606 ');
  expect(summary.tree).to.include('│  • infinium.prompt_fetch prompt.id=p-1 prompt.name=support prompt.version=3\n');
  expect(summary.tree).to.include('│  └─ anthropic.messages.create anthropic/claude-sonnet-4-6-20260217 tokens=312+9=321 ');
  expect(summary.tree).to.include('└─ chat gpt-4o [LLM] openai/gpt-4o tokens=5+7=12 cost=$0.0000825 2ms\n');
}

/** What more-sdks-app.cjs prints. */
export interface MoreSdksSummary {
  spans: Array<{ name: string; scope: string; parent: string | null; status: number; attributes: Record<string, unknown> }>;
}

const MORE_SDK_KEYS = [...LLM_KEYS, 'gen_ai.provider.name', 'gen_ai.operation.name', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens'];

/** Five calls, five LLM spans under the app's `agent` span, counted once each in its roll-up. */
export function expectMoreSdksSummary(summary: MoreSdksSummary): void {
  const rows = summary.spans.map((s) => [s.name, s.scope, s.parent, s.status, pick(s.attributes, [...MORE_SDK_KEYS, 'infinium.llm_call_count'])]);
  expect(rows.sort(byJson)).to.deep.equal([
    ['chat llama-3.3-70b-versatile', '@infinium/otel', 'agent', OK, llmSpan('groq', 'openai', 'llama-3.3-70b-versatile', [21, 6, 27], 'stop', ['Hi Groq', 'Hello from Groq!'], 'groq')],
    ['chat mistral-small-latest', '@infinium/otel', 'agent', OK, llmSpan('mistralai', 'mistralai', 'mistral-small-latest', [17, 8, 25], 'stop', ['Salut', 'Bonjour !'], 'mistral_ai')],
    ['chat llama3.2', '@infinium/otel', 'agent', OK, llmSpan('ollama', 'ollama', 'llama3.2', [26, 9, 35], 'stop', ['Hi llama', 'Hello from llama!'], 'ollama')],
    // Cohere: the billed units, as the GenAI conventions ask where both used and billed are reported.
    ['chat command-a-03-2025', '@infinium/otel', 'agent', OK, llmSpan('cohere', 'cohere', 'command-a-03-2025', [21, 12, 33], 'COMPLETE', ['Hi Cohere', 'Hello from Cohere!'], 'cohere')],
    // Bedrock: the prompt count includes the cache (12 + 80 read + 20 written).
    ['chat amazon.nova-lite-v1:0', '@infinium/otel', 'agent', OK, llmSpan('aws', 'amazon', 'amazon.nova-lite-v1:0', [112, 7, 119], 'end_turn', ['Hi Nova', 'Hello from Nova!'], 'aws.bedrock')],
    ['agent', '@infinium/otel/trace', null, OK, { 'openinference.span.kind': 'AGENT', 'infinium.llm_call_count': 5 }],
  ].sort(byJson));
}
