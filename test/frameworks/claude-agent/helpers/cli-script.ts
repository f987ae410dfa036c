import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Scripts for the fake CLI (fake-cli.mjs) and the SDK options that start it. The messages are the shapes
 * CLI 2.1.337 writes (recorded through the real SDK against a fake API; /tmp/team/claude-cli.md), cut to
 * the fields a reader of the stream uses, plus `fake_cli_traceparent` and `fake_cli_pid` on the init
 * message: the TRACEPARENT the SDK gave the process, and its pid.
 */
export const FAKE_CLI = path.join(__dirname, 'fake-cli.mjs');
export const SESSION_ID = '3660d314-2127-40ab-9f15-ff8e508b26e4';
export const MODEL = 'claude-opus-5-5';

export type Step = { emit: Record<string, unknown> } | { hold: true } | { exit: number; stderr?: string };

let counter = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

export function init(): Record<string, unknown> {
  return { type: 'system', subtype: 'init', cwd: '/tmp', session_id: SESSION_ID, tools: ['Task', 'Bash'], mcp_servers: [], model: MODEL, permissionMode: 'default', apiKeySource: 'ANTHROPIC_API_KEY', uuid: uuid(), fake_cli_traceparent: '$TRACEPARENT', fake_cli_pid: '$PID' };
}

function assistantMessage(id: string, content: unknown[], parentToolUseId: string | null): Record<string, unknown> {
  return {
    type: 'assistant',
    message: { id, type: 'message', role: 'assistant', model: MODEL, content, stop_reason: null, stop_sequence: null, usage: { input_tokens: 100, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } },
    parent_tool_use_id: parentToolUseId,
    session_id: SESSION_ID,
    uuid: uuid(),
  };
}

export function assistantText(messageId: string, text: string, parentToolUseId: string | null = null): Record<string, unknown> {
  return assistantMessage(messageId, [{ type: 'text', text }], parentToolUseId);
}

export function toolUse(messageId: string, id: string, name: string, input: unknown, parentToolUseId: string | null = null): Record<string, unknown> {
  return assistantMessage(messageId, [{ type: 'tool_use', id, name, input }], parentToolUseId);
}

export function toolResult(toolUseId: string, content: unknown, isError = false, parentToolUseId: string | null = null): Record<string, unknown> {
  return {
    type: 'user',
    message: { role: 'user', content: [{ tool_use_id: toolUseId, type: 'tool_result', content, is_error: isError }] },
    parent_tool_use_id: parentToolUseId,
    session_id: SESSION_ID,
    uuid: uuid(),
    timestamp: '2026-12-07T08:39:39.270Z',
  };
}

/** The prompt a subagent starts with: a user message of the subagent (parent_tool_use_id set). */
export function subagentPrompt(parentToolUseId: string, text: string): Record<string, unknown> {
  return { type: 'user', message: { role: 'user', content: [{ type: 'text', text }] }, parent_tool_use_id: parentToolUseId, session_id: SESSION_ID, uuid: uuid() };
}

export interface ModelTokens {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  costUsd: number;
}

/** A `result` message; `modelUsage` per model as the CLI reports it (camelCase), usage the summed main loop. */
export function result(options: { text?: string; models: Record<string, ModelTokens>; subtype?: string; isError?: boolean; errors?: string[]; numTurns?: number }): Record<string, unknown> {
  const models = Object.entries(options.models);
  const sum = (pick: (t: ModelTokens) => number | undefined) => models.reduce((n, [, t]) => n + (pick(t) ?? 0), 0);
  const subtype = options.subtype ?? 'success';
  return {
    type: 'result',
    subtype,
    is_error: options.isError ?? subtype !== 'success',
    duration_ms: 444,
    duration_api_ms: 157,
    num_turns: options.numTurns ?? 2,
    ...(subtype === 'success' ? { result: options.text ?? '' } : { errors: options.errors ?? [] }),
    stop_reason: 'end_turn',
    session_id: SESSION_ID,
    total_cost_usd: sum((t) => t.costUsd),
    usage: { input_tokens: sum((t) => t.input), cache_creation_input_tokens: sum((t) => t.cacheWrite), cache_read_input_tokens: sum((t) => t.cacheRead), output_tokens: sum((t) => t.output), service_tier: 'standard' },
    modelUsage: Object.fromEntries(
      models.map(([model, t]) => [
        model,
        { inputTokens: t.input, outputTokens: t.output, cacheReadInputTokens: t.cacheRead ?? 0, cacheCreationInputTokens: t.cacheWrite ?? 0, webSearchRequests: 0, costUSD: t.costUsd, contextWindow: 1000000, maxOutputTokens: 128000 },
      ]),
    ),
    permission_denials: [],
    uuid: uuid(),
  };
}

export interface FakeCli {
  /** SDK options that start the fake CLI with this script (merge the test's own options in). */
  options: { pathToClaudeCodeExecutable: string; env: Record<string, string | undefined>; cwd: string };
  /** The lines the SDK wrote to the fake CLI's stdin. */
  stdin(): string[];
  cleanup(): void;
}

export function fakeCli(steps: Step[]): FakeCli {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-claude-cli-'));
  const scriptFile = path.join(dir, 'script.json');
  const logFile = path.join(dir, 'stdin.log');
  fs.writeFileSync(scriptFile, JSON.stringify({ steps }));
  return {
    options: { pathToClaudeCodeExecutable: FAKE_CLI, env: { ...process.env, FAKE_CLI_SCRIPT: scriptFile, FAKE_CLI_LOG: logFile }, cwd: dir },
    stdin: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean) : []),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** `system`/`task_started`: the CLI started the subagent of an Agent tool call (in the background, or not). */
export function taskStarted(toolUseId: string, background: boolean, prompt: string): Record<string, unknown> {
  return { type: 'system', subtype: 'task_started', task_id: `task_${toolUseId}`, tool_use_id: toolUseId, description: 'Greeter', subagent_type: 'general-purpose', is_backgrounded: background, spawn_depth: 1, task_type: 'local_agent', prompt, session_id: SESSION_ID, uuid: uuid() };
}

/** `system`/`task_notification`: the subagent's end (`completed`, `failed`, `stopped`) and its summary. */
export function taskNotification(toolUseId: string, status: string, summary: string): Record<string, unknown> {
  return { type: 'system', subtype: 'task_notification', task_id: `task_${toolUseId}`, tool_use_id: toolUseId, status, summary, usage: { total_tokens: 157, tool_uses: 1, duration_ms: 224 }, session_id: SESSION_ID, uuid: uuid() };
}

/** The CLI starts a Bash call and then writes nothing more, until the SDK closes it (or it is killed). */
export function hangsInATool(): Step[] {
  return [{ emit: init() }, { emit: toolUse('msg_1', 'toolu_01', 'Bash', { command: 'sleep 100' }) }, { hold: true }];
}
