/**
 * The attribute rendering of one chat call alone (lib/semconv), under callgrind: the rendering's share of
 * bench/fresh-instructions.ts in a fraction of its time (no SDK, no tsx under valgrind), to compare builds
 * piece by piece. The record is the one the OpenAI chat call of bench/fresh-child.ts produces; the target
 * only stores what it is given.
 *
 *   node --import tsx bench/fresh-render.ts [calls=1000] [dist …]
 *
 * RENDER_WARMUP (default 300, as bench/fresh-child.ts) sets the renders before the counted ones: 5000 shows
 * the cost once V8 has optimized everything, where the default window is mostly TurboFan compiling
 * (docs/performance.md, "A fast path for the masking step").
 */
import path from 'node:path';
import { instructionsPerCall } from './callgrind';

const WARMUP = Number(process.env.RENDER_WARMUP ?? 300);

/**
 * The child, as plain JavaScript run with `node -e`: loading tsx under valgrind would cost more than the
 * renders counted.
 */
const CHILD = `
const path = require('node:path');
const [dist, n] = [process.argv[1], Number(process.argv[2])];
const { createCallRecord } = require(path.join(dist, 'record/call-record.js'));
const { renderInConventions } = require(path.join(dist, 'semconv/genai-conventions.js'));
const { resolveTraceConfig } = require(path.join(dist, 'masking/trace-config.js'));
const config = resolveTraceConfig({ captureContent: true }, {});
const conventions = { openInference: true, genAi: false };
let sink = 0;
for (let i = 0; i < n; i++) {
  const record = createCallRecord('LLM', 'chat', 'openai', 'openai');
  record.inputMessages = [
    { role: 'system', content: 'You are a helpful assistant. Answer briefly.' },
    { role: 'user', content: 'Say hello and offer help.' },
  ];
  record.requestModel = 'gpt-4o-mini';
  record.server = { address: 'api.openai.com', port: 443 };
  record.textLimit = 32000;
  record.invocationParameters = { model: 'gpt-4o-mini', temperature: 0.2 };
  record.outputMessages = [{ role: 'assistant', content: 'Hello there! How can I help you today?' }];
  record.usage = { prompt: 19, completion: 10, total: 29, cacheRead: 0, promptAudio: 0, reasoning: 0, completionAudio: 0 };
  record.responseModel = 'gpt-4o-mini-2024-07-18';
  record.responseId = 'chatcmpl-1';
  record.finishReason = 'stop';
  record.finishReasons = ['stop'];
  record.latencyMs = 180.96472699999867 + i;
  record.cost = { prompt: 0.00000285, completion: 0.000006, total: 0.00000885 };
  const stored = {};
  const target = { setAttribute: (key, value) => (stored[key] = value) };
  renderInConventions(record, config, conventions, target);
  sink += Object.keys(stored).length;
}
if (process.env.RENDER_DUMP) process.stdout.write(String(sink / n) + '\\n');
`;

const args = process.argv.slice(2);
{
  const [callsArg = '1000', ...dists] = args;
  const calls = Number(callsArg);
  for (const dist of dists.length > 0 ? dists : [path.resolve(__dirname, '..', 'dist')]) {
    const perCall = instructionsPerCall(calls, (extra) => ['-e', CHILD, dist, String(WARMUP + extra)]);
    process.stdout.write(`${dist}: ${perCall} instructions per render\n`);
  }
}
