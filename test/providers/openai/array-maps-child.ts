/**
 * Run by array-maps.test.ts in a process of its own, with `--allow-natives-syntax`: reads the same request
 * and stream in V8's interpreter and again once the readers are optimized, and prints whether the message
 * lists had the same array map both times (see `readInputMessages` in lib/providers/openai/chat.ts).
 */
import { createCallRecord, type CallRecord } from '../../../lib/record/call-record';
import { ChoiceAssembler } from '../../../lib/record/choices';
import { chatCompletions, readInputMessages } from '../../../lib/providers/openai/chat';

// V8 intrinsics, compiled at run time: the TypeScript compiler cannot parse `%` calls.
const native = (body: string) => new Function('f', 'a', 'b', body) as (f?: unknown, a?: unknown, b?: unknown) => unknown;
const prepare = native('%PrepareFunctionForOptimization(f)');
const optimizeNext = native('%OptimizeFunctionOnNextCall(f)');
const sameMap = native('return %HaveSameMap(a, b)');
const holey = native('return %HasHoleyElements(a)');

const MESSAGES = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Say hi.' },
];
const CHUNKS = [
  { model: 'gpt-4o-mini', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' } }] },
  { model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: '!' }, finish_reason: 'stop' }] },
];

function streamed(): CallRecord {
  const record = createCallRecord('LLM', 'chat', 'openai', 'openai');
  const reader = chatCompletions.chunkReader!(record);
  for (const chunk of CHUNKS) reader.onChunk(chunk);
  reader.onStop?.();
  return record;
}

const input = () => readInputMessages(MESSAGES);
const first = { input: input(), output: streamed().outputMessages };
const reader = chatCompletions.chunkReader!(createCallRecord('LLM', 'chat', 'openai', 'openai'));
const hot = [readInputMessages, ChoiceAssembler.prototype.messages, Object.getPrototypeOf(reader).onStop as unknown];
for (const f of hot) prepare(f);
for (let i = 0; i < 3; i++) {
  input();
  streamed();
}
for (const f of hot) optimizeNext(f);
const second = { input: input(), output: streamed().outputMessages };
process.stdout.write(
  `${JSON.stringify({
    inputSameMap: sameMap(undefined, first.input, second.input),
    outputSameMap: sameMap(undefined, first.output, second.output),
    inputHoley: holey(undefined, second.input),
    outputHoley: holey(undefined, second.output),
  })}\n`,
);
