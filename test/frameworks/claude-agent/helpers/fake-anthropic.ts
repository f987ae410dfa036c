import { FakeLlmServer, ReceivedRequest, SseEvent } from '../../../helpers/fake-llm-server';

/**
 * The Anthropic Messages API as the Claude Code CLI sees it (recorded against CLI 2.1.337): it sends only
 * streaming `POST /v1/messages?beta=true` when CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC is set, and the
 * fake answers each with the SSE events the API sends (message_start with usage, content blocks with
 * text / input_json deltas, message_delta with the final usage and stop reason, message_stop).
 *
 * The conversation is decided by what the request holds, not by a counter, so a retry or an extra request
 * of a later CLI gets the same answer:
 * - no `tool_result` yet: a text block and one `tool_use` of `tool` (turn 1, stop_reason tool_use);
 * - otherwise: the final text (turn 2, end_turn).
 * Every other path gets a JSON answer (`count_tokens`) or a 404, and is recorded like the rest.
 */
export interface ScriptedTool {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface CliConversation {
  /** Text of turn 1, before the tool call. */
  preamble: string;
  tool: ScriptedTool;
  /**
   * Set: a request whose messages hold this marker (the app's prompt) and no result of `delegate.id` yet is
   * answered with this Agent tool call instead; the subagent's own requests (no marker) get the conversation
   * above, and the main thread, once the Agent tool returned, the final text.
   */
  delegate?: { marker: string; tool: ScriptedTool };
  finalText: string;
  /** [input, output] tokens of each turn's message (message_start input, message_delta output). */
  turn1Usage: [number, number];
  turn2Usage: [number, number];
}

export const BASH_CONVERSATION: CliConversation = {
  preamble: 'Running it.',
  tool: { id: 'toolu_01', name: 'Bash', input: { command: 'echo hi', description: 'Say hi' } },
  finalText: 'It said hi.',
  turn1Usage: [100, 20],
  turn2Usage: [150, 7],
};

function usage(input: number, output: number): Record<string, number> {
  return { input_tokens: input, output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

function messageEvents(id: string, model: string, blocks: SseEvent[], [input, output]: [number, number], stop: string): SseEvent[] {
  const start = { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: usage(input, 1) } };
  const events = [start, ...blocks.map((e) => e.data), { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: output } }, { type: 'message_stop' }];
  return events.map((data) => ({ event: (data as { type: string }).type, data }));
}

function textBlock(index: number, text: string): SseEvent[] {
  return [
    { data: { type: 'content_block_start', index, content_block: { type: 'text', text: '' } } },
    { data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text } } },
    { data: { type: 'content_block_stop', index } },
  ];
}

function toolUseBlock(index: number, tool: ScriptedTool): SseEvent[] {
  const json = JSON.stringify(tool.input);
  const half = Math.floor(json.length / 2);
  return [
    { data: { type: 'content_block_start', index, content_block: { type: 'tool_use', id: tool.id, name: tool.name, input: {} } } },
    { data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(0, half) } } },
    { data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(half) } } },
    { data: { type: 'content_block_stop', index } },
  ];
}

export const DELEGATE_MARKER = 'Delegate the greeting';

/** The app's prompt asks to delegate; the model starts a general-purpose subagent in the background (the CLI's default). */
export const DELEGATING_CONVERSATION: CliConversation = {
  ...BASH_CONVERSATION,
  delegate: { marker: DELEGATE_MARKER, tool: { id: 'toolu_A1', name: 'Agent', input: { description: 'Greeter', prompt: 'Run echo hi please', subagent_type: 'general-purpose' } } },
};

export class FakeAnthropicApi extends FakeLlmServer {
  private messageCount = 0;
  /** [input, output] tokens of every streamed answer, in order: what the CLI's usage must add up to. */
  readonly served: Array<[number, number]> = [];

  constructor(readonly conversation: CliConversation = BASH_CONVERSATION) {
    super();
    this.handle((request) => this.answer(request));
  }

  /** The model requests (path and model of each `/v1/messages` call), in order. */
  messageRequests(): ReceivedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/messages') && !r.path.includes('count_tokens'));
  }

  private answer(request: ReceivedRequest) {
    if (request.path.startsWith('/v1/messages/count_tokens')) return { json: { input_tokens: 42 } };
    if (!request.path.startsWith('/v1/messages') || request.method !== 'POST') return { status: 404, json: { type: 'error', error: { type: 'not_found_error', message: 'not here' } } };
    const body = request.body as { model: string; stream?: boolean; messages: unknown[] };
    const id = `msg_${++this.messageCount}`;
    const { conversation: c } = this;
    const text = JSON.stringify(body.messages);
    const afterTool = text.includes('"tool_result"');
    const delegate = c.delegate;
    if (!body.stream) {
      return { json: { id, type: 'message', role: 'assistant', model: body.model, content: [{ type: 'text', text: c.finalText }], stop_reason: 'end_turn', stop_sequence: null, usage: usage(...c.turn2Usage) } };
    }
    if (delegate && text.includes(delegate.marker)) {
      if (text.includes(delegate.tool.id)) return this.stream(id, body.model, textBlock(0, c.finalText), c.turn2Usage, 'end_turn');
      return this.stream(id, body.model, toolUseBlock(0, delegate.tool), c.turn1Usage, 'tool_use');
    }
    if (afterTool) return this.stream(id, body.model, textBlock(0, c.finalText), c.turn2Usage, 'end_turn');
    return this.stream(id, body.model, [...textBlock(0, c.preamble), ...toolUseBlock(1, c.tool)], c.turn1Usage, 'tool_use');
  }

  private stream(id: string, model: string, blocks: SseEvent[], usage: [number, number], stop: string) {
    this.served.push(usage);
    return { sse: messageEvents(id, model, blocks, usage, stop) };
  }
}

export async function startFakeAnthropicApi(conversation?: CliConversation): Promise<FakeAnthropicApi> {
  return new FakeAnthropicApi(conversation).start();
}
