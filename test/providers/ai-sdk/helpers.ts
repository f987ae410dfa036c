import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { FakeLlmServer, FakeResponse } from '../../helpers/fake-llm-server';
import type { TestTracing } from '../../helpers/tracing';
import { waitFor } from '../../helpers/wait';
import { chatCompletion } from '../openai/fixtures';

/**
 * Shared by the ai 5, 6 and 7 tests: recorded-shape answers for a two-step tool run (OpenAI chat
 * completions: a tool call, then the final text), an embedding, and a span-tree printer.
 */
export const TOOL_CALL_ARGS = '{"city":"Paris"}';

export function toolCallCompletion() {
  return chatCompletion({
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: TOOL_CALL_ARGS } }] },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
    ],
    usage: { prompt_tokens: 30, completion_tokens: 5, total_tokens: 35 },
  });
}

/** First request: the tool call; every later one: the plain answer (19 prompt, 10 completion tokens). */
export function serveToolRun(server: FakeLlmServer): void {
  let n = 0;
  server.handle((): FakeResponse => (n++ === 0 ? { json: toolCallCompletion() } : { json: chatCompletion() }));
}

export function embeddingResponse() {
  return { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.25, -0.5] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 3, total_tokens: 3 } };
}

/** An embeddings answer for `input`: each value's vector is [its length, 1], one token per value. */
export function embeddingsFor(input: readonly string[]) {
  return {
    object: 'list',
    data: input.map((value, index) => ({ object: 'embedding', index, embedding: [value.length, 1] })),
    model: 'text-embedding-3-small',
    usage: { prompt_tokens: input.length, total_tokens: input.length },
  };
}

export function openAiError() {
  return { status: 400, json: { error: { message: 'Invalid model', type: 'invalid_request_error', param: null, code: null } } };
}

/** The spans as an indented tree of `name [kind]`, children in start order. */
export function spanTree(spans: readonly ReadableSpan[]): string {
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  const children = new Map<string | undefined, ReadableSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanContext?.spanId;
    const key = parent !== undefined && ids.has(parent) ? parent : undefined;
    children.set(key, [...(children.get(key) ?? []), span]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => compareTime(a.startTime, b.startTime));
    for (const span of list) {
      const kind = span.attributes['openinference.span.kind'];
      lines.push(`${'  '.repeat(depth)}${span.name}${kind === undefined ? '' : ` [${String(kind)}]`}`);
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines.join('\n');
}

function compareTime(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

export function byName(spans: readonly ReadableSpan[], name: string): ReadableSpan[] {
  return spans.filter((s) => s.name === name);
}

export function one(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = byName(spans, name);
  if (found.length !== 1) throw new Error(`expected one span ${name}, got ${found.length}:\n${spanTree(spans)}`);
  return found[0];
}

/** The span tree of `serveToolRun` with ai 7 (ours or @ai-sdk/otel's), under the test's `request` span. */
export function toolRunTree(agent: string): string {
  return ['request', `  ${agent} [AGENT]`, '    step 1 [CHAIN]', '      chat gpt-4o-mini [LLM]', '      execute_tool weather [TOOL]', '    step 2 [CHAIN]', '      chat gpt-4o-mini [LLM]'].join('\n');
}

/** What the Anthropic `message()` fixture gives on an LLM span, whichever `ai` major made the call. */
export const ANTHROPIC_MESSAGE_ATTRIBUTES = {
  'openinference.span.kind': 'LLM',
  'llm.provider': 'anthropic',
  'llm.system': 'anthropic',
  'llm.model_name': 'claude-sonnet-4-6-20260217',
  'llm.output_messages.0.message.content': 'Hello there!',
  'llm.token_count.prompt': 312,
  'llm.token_count.completion': 9,
  'llm.token_count.prompt_details.cache_read': 200,
  'llm.token_count.prompt_details.cache_write': 100,
} as const;

/** Collects garbage until `done` holds over the finished spans (finalizers run on a later turn), or about 4 s pass. */
export async function spansAfterCollection(tracing: TestTracing, done: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
  let spans = await tracing.spans();
  for (let i = 0; i < 200 && !done(spans); i++) {
    global.gc!();
    await new Promise((resolve) => setTimeout(resolve, 20));
    spans = await tracing.spans();
  }
  return spans;
}

/**
 * The finished spans once `done` holds over them. The SDK ends some spans on a later turn than the one
 * the app's read or abort returns on (its abort and onFinish handlers), so a test waits for them, never
 * for a fixed time.
 */
export async function spansWhen(tracing: TestTracing, done: (spans: ReadableSpan[]) => boolean, what: string): Promise<ReadableSpan[]> {
  let spans: ReadableSpan[] = [];
  await waitFor(async () => done((spans = await tracing.spans())), what);
  return spans;
}
