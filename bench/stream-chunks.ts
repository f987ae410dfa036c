/**
 * Not part of `npm run bench`: what the stream wrapper adds per chunk, against an async-generator wrapper
 * (the shape the contrib OpenAI instrumentation uses), with AsyncLocalStorage active as in a traced app.
 * `node --import tsx bench/stream-chunks.ts` after `npm run build`; prints µs and async resources per stream.
 */
import path from 'node:path';
import { AsyncLocalStorage, createHook } from 'node:async_hooks';

const DIST = process.env.BENCH_DIST ?? path.resolve(__dirname, '..', 'dist');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StreamWatcher } = require(path.join(DIST, 'instrumentation', 'stream-wrapper.js'));

const CHUNKS = Array.from({ length: 20 }, (_, i) => ({ i }));
async function* sdkStream(): AsyncGenerator<unknown> {
  for (const chunk of CHUNKS) yield chunk;
}
const reader = { onChunk(_chunk: unknown): void {}, onStop(): void {} };
// The LlmCall methods the watcher uses, with the clock read `touch()` does per chunk.
const call = { last: 0, touch(): void { this.last = performance.now(); }, succeed(): void {}, fail(): void {}, abandon(): void {}, isEnded: false };

async function* generatorWrapper(inner: AsyncIterator<unknown>): AsyncGenerator<unknown> {
  for await (const chunk of { [Symbol.asyncIterator]: () => inner }) {
    reader.onChunk(chunk);
    yield chunk;
  }
}

const variants: Record<string, () => Promise<void>> = {
  'sdk stream alone': async () => {
    for await (const _ of sdkStream());
  },
  'our stream wrapper': async () => {
    for await (const _ of new StreamWatcher(call, reader).wrapIterator(sdkStream()));
  },
  'async-generator wrapper': async () => {
    for await (const _ of generatorWrapper(sdkStream()));
  },
};

let asyncResources = 0;
createHook({ init: () => void asyncResources++ }).enable();

async function cpuUsPerStream(run: () => Promise<void>, n: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

new AsyncLocalStorage().run({}, async () => {
  const resources: Record<string, number> = {};
  for (const [name, run] of Object.entries(variants)) {
    asyncResources = 0;
    await run();
    resources[name] = asyncResources;
  }
  for (let round = 0; round < 2; round++) for (const run of Object.values(variants)) await cpuUsPerStream(run, 20000);
  const times: Record<string, number[]> = {};
  for (let round = 0; round < 9; round++) for (const [name, run] of Object.entries(variants)) (times[name] ??= []).push(await cpuUsPerStream(run, 20000));
  for (const [name, values] of Object.entries(times)) {
    const median = values.sort((a, b) => a - b)[values.length >> 1];
    console.log(`${name.padEnd(24)} ${median.toFixed(2)} µs per ${CHUNKS.length}-chunk stream, ${resources[name]} async resources`);
  }
});
