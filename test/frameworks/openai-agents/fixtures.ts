import type { FakeResponse, Handler, ReceivedRequest, SseEvent } from '../../helpers/fake-llm-server';
import { responseObject } from '../../providers/openai/fixtures';

/**
 * What the fake OpenAI server answers, one scripted model turn per request: the Responses API (JSON, and
 * SSE with the whole event sequence a real stream sends) and Chat Completions (JSON, and chunks ending
 * with the usage chunk). Each turn says its text, its function calls and its exact usage, so the tests
 * can assert every token number.
 */
export const RESPONSE_MODEL = 'gpt-4.1-2025-04-14';
export const CHAT_RESPONSE_MODEL = 'gpt-4o-mini-2024-07-18';

export interface TurnUsage {
  input: number;
  output: number;
  cached: number;
  reasoning: number;
}

export interface Turn {
  text?: string;
  calls?: Array<{ name: string; args: Record<string, unknown>; callId: string }>;
  usage: TurnUsage;
}

/** A distinct usage per request number `n` (1-based), so a token count names its request. */
export function usageOf(n: number): TurnUsage {
  return { input: 100 * n + 11, output: 20 + n, cached: 10 * n, reasoning: n };
}

export function says(text: string, n: number): Turn {
  return { text, usage: usageOf(n) };
}

export function calls(name: string, args: Record<string, unknown>, n: number, callId = `call_${n}`): Turn {
  return { calls: [{ name, args, callId }], usage: usageOf(n) };
}

// ---- Responses API ----

function responseItems(turn: Turn, n: number) {
  const items: Array<Record<string, unknown>> = [];
  if (turn.text !== undefined) {
    items.push({ type: 'message', id: `msg_${n}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: turn.text, annotations: [] }] });
  }
  for (const call of turn.calls ?? []) {
    items.push({ type: 'function_call', id: `fc_${call.callId}`, call_id: call.callId, name: call.name, arguments: JSON.stringify(call.args), status: 'completed' });
  }
  return items;
}

function responseUsage(usage: TurnUsage) {
  return {
    input_tokens: usage.input,
    input_tokens_details: { cached_tokens: usage.cached },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: usage.reasoning },
    total_tokens: usage.input + usage.output,
  };
}

export function responseJson(turn: Turn, n: number) {
  return responseObject({ id: `resp_${n}`, model: RESPONSE_MODEL, output: responseItems(turn, n), usage: responseUsage(turn.usage) });
}

/** Splits `text` in two deltas (as a real stream does, in several). */
function halves(text: string): string[] {
  const cut = Math.ceil(text.length / 2);
  return [text.slice(0, cut), text.slice(cut)].filter((part) => part !== '');
}

/** The event sequence of a streamed response, in the order the API sends it. */
export function responseSse(turn: Turn, n: number): SseEvent[] {
  const inProgress = responseObject({ id: `resp_${n}`, model: RESPONSE_MODEL, status: 'in_progress', output: [], usage: null });
  const events: Array<[string, Record<string, unknown>]> = [
    ['response.created', { response: inProgress }],
    ['response.in_progress', { response: inProgress }],
  ];
  responseItems(turn, n).forEach((item, index) => {
    if (item.type === 'message') {
      const text = turn.text ?? '';
      const part = { type: 'output_text', text, annotations: [] };
      const at = { item_id: item.id, output_index: index, content_index: 0 };
      events.push(['response.output_item.added', { output_index: index, item: { ...item, status: 'in_progress', content: [] } }]);
      events.push(['response.content_part.added', { ...at, part: { ...part, text: '' } }]);
      for (const delta of halves(text)) events.push(['response.output_text.delta', { ...at, delta, logprobs: [] }]);
      events.push(['response.output_text.done', { ...at, text, logprobs: [] }]);
      events.push(['response.content_part.done', { ...at, part }]);
    } else {
      const args = item.arguments as string;
      events.push(['response.output_item.added', { output_index: index, item: { ...item, status: 'in_progress', arguments: '' } }]);
      for (const delta of halves(args)) events.push(['response.function_call_arguments.delta', { item_id: item.id, output_index: index, delta }]);
      events.push(['response.function_call_arguments.done', { item_id: item.id, output_index: index, arguments: args }]);
    }
    events.push(['response.output_item.done', { output_index: index, item }]);
  });
  events.push(['response.completed', { response: responseJson(turn, n) }]);
  return events.map(([type, fields], sequence) => ({ event: type, data: { type, sequence_number: sequence, ...fields } }));
}

// ---- Chat Completions ----

function chatUsage(usage: TurnUsage) {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function toolCalls(turn: Turn) {
  return (turn.calls ?? []).map((call) => ({ id: call.callId, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }));
}

export function chatJson(turn: Turn, n: number) {
  const calls = toolCalls(turn);
  return {
    id: `chatcmpl-${n}`,
    object: 'chat.completion',
    created: 1741569952,
    model: CHAT_RESPONSE_MODEL,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: turn.text ?? null, refusal: null, annotations: [], ...(calls.length ? { tool_calls: calls } : {}) },
        logprobs: null,
        finish_reason: calls.length ? 'tool_calls' : 'stop',
      },
    ],
    usage: chatUsage(turn.usage),
    service_tier: 'default',
  };
}

export function chatSse(turn: Turn, n: number): SseEvent[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    data: { id: `chatcmpl-${n}`, object: 'chat.completion.chunk', created: 1741569952, model: CHAT_RESPONSE_MODEL, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] },
  });
  const events: SseEvent[] = [chunk({ role: 'assistant', content: '' })];
  for (const delta of halves(turn.text ?? '')) events.push(chunk({ content: delta }));
  toolCalls(turn).forEach((call, index) => {
    events.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
    for (const delta of halves(call.function.arguments)) events.push(chunk({ tool_calls: [{ index, function: { arguments: delta } }] }));
  });
  events.push(chunk({}, turn.calls?.length ? 'tool_calls' : 'stop'));
  events.push({ data: { id: `chatcmpl-${n}`, object: 'chat.completion.chunk', created: 1741569952, model: CHAT_RESPONSE_MODEL, choices: [], usage: chatUsage(turn.usage) } });
  events.push({ data: '[DONE]' });
  return events;
}

/**
 * A handler answering the n-th request (1-based) with `script[n-1]`, in the API the request went to and
 * as JSON or SSE as it asked. A request beyond the script is an HTTP 500 (the test then fails loudly).
 */
export function scripted(script: Array<Turn | ((request: ReceivedRequest) => Turn)>): Handler {
  let served = 0;
  return (request): FakeResponse => {
    const n = ++served;
    const entry = script[n - 1];
    if (!entry) return { status: 500, json: { error: { message: `request ${n} is beyond the script` } } };
    const turn = typeof entry === 'function' ? entry(request) : entry;
    const streamed = request.body?.stream === true;
    if (request.path.endsWith('/chat/completions')) return streamed ? { sse: chatSse(turn, n) } : { json: chatJson(turn, n) };
    return streamed ? { sse: responseSse(turn, n) } : { json: responseJson(turn, n) };
  };
}
