import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';
import { STREAM_ABANDONED_EVENT } from '../../../lib/instrumentation/llm-call';
import { FakeLlmServer, FakeResponse, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, llmSpans, onlySpan as onlySpanOf, stable, useInstrumentation } from '../../helpers/tracing';
import { chatStream, malformedChatStream, parseResponse } from './fixtures';
import type { MistralMajor } from './load';

const API_KEY = 'sk-test-secret-123';
const SHORT = { model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Weather in Paris?' }] };

/** What a full read of `chatStream()` records. */
const STREAM_OUTPUT = {
  'llm.output_messages.0.message.content': 'Let me check.',
  'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
  'llm.finish_reason': 'tool_calls',
  'llm.token_count.prompt': 31,
  'llm.token_count.completion': 12,
  'llm.token_count.total': 43,
};

async function readAll(reader: ReadableStreamDefaultReader<any>): Promise<unknown[]> {
  const events: unknown[] = [];
  for (let r = await reader.read(); !r.done; r = await reader.read()) events.push(r.value);
  return events;
}

/** What the app gets from `read` (every event, then the error it ended with, if any). */
async function readOutcome(stream: ReadableStream<any>): Promise<{ events: unknown[]; error?: string }> {
  const events: unknown[] = [];
  const reader = stream.getReader();
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) events.push(r.value);
    return { events };
  } catch (err) {
    return { events, error: `${(err as Error).constructor.name}: ${(err as Error).message}` };
  }
}

/**
 * `chat.parse`/`parseStream`, and every way of reading Mistral's `EventStream` (a WHATWG ReadableStream)
 * besides `for await` (issue 30, defect 6): run against 1.x here (mistral.test.ts) and 2.x in the child
 * process (readers-v2.suite.ts).
 */
export function describeMistralReaders(load: (instrumentation: InfiniumInstrumentation) => Promise<MistralMajor>): void {
  describe(`@mistralai/mistralai ${load.name === 'loadMistralV1' ? '1.x' : '2.x'}: parse, and the EventStream read without for await`, () => {
    const tracing = createTracing();
    let instrumentation: InfiniumInstrumentation;
    let major: MistralMajor;
    let server: FakeLlmServer;
    let client: any;

    before(async () => {
      ({ instrumentation } = useInstrumentation(tracing));
      major = await load(instrumentation);
      server = await startFakeLlmServer();
      client = new major.Mistral({ apiKey: API_KEY, serverURL: server.origin });
    });
    after(() => server.stop());
    beforeEach(() => tracing.reset());

    const onlySpan = () => onlySpanOf(tracing);

    /** The same read with our instrumentation off: what the app gets without us. */
    async function uninstrumented<T>(reply: FakeResponse, read: (stream: ReadableStream<any>) => Promise<T>): Promise<T> {
      instrumentation.disable();
      try {
        server.reply(reply);
        return await read(await new major.Mistral({ apiKey: API_KEY, serverURL: server.origin }).chat.stream(SHORT));
      } finally {
        instrumentation.enable();
      }
    }

    it('chat.parse: one LLM span; the Zod schema is not a parameter; the parsed answer reaches the app', async () => {
      const { z } = require('zod');
      server.reply({ json: parseResponse() });
      const result: any = await client.chat.parse({ ...SHORT, temperature: 0, responseFormat: z.object({ city: z.string(), celsius: z.number() }) });
      expect(result.choices[0].message.parsed).to.deep.equal({ city: 'Paris', celsius: 18 });
      expect(server.requests.at(-1)!.body.response_format.type).to.equal('json_schema');
      const span = await onlySpan();
      expect(span.name).to.equal('chat mistral-small-latest');
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(stable(span)).to.deep.equal({
        'openinference.span.kind': 'LLM',
        'llm.provider': 'mistralai',
        'llm.system': 'mistralai',
        'llm.model_name': 'mistral-small-latest',
        'llm.model': 'mistral-small-latest',
        'llm.temperature': 0,
        'llm.invocation_parameters': '{"model":"mistral-small-latest","temperature":0}',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.content': 'Weather in Paris?',
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.content': '{"city":"Paris","celsius":18}',
        'input.value': 'Weather in Paris?',
        'input.mime_type': 'text/plain',
        'output.value': '{"city":"Paris","celsius":18}',
        'output.mime_type': 'text/plain',
        'llm.token_count.prompt': 17,
        'llm.token_count.completion': 8,
        'llm.token_count.total': 25,
        'llm.prompt_tokens': 17,
        'llm.completion_tokens': 8,
        // mistral-small-latest at 0.10 input / 0.30 output per million: 17 × 0.1 / 1e6, 8 × 0.3 / 1e6.
        'llm.cost.prompt': 0.0000017,
        'llm.cost.completion': 0.0000024,
        'llm.cost.total': 0.0000041,
        'llm.finish_reason': 'stop',
      });
    });

    it('chat.parseStream: one LLM span, output and tokens at the end of the stream', async () => {
      const { z } = require('zod');
      server.reply({ sse: chatStream() });
      const stream = await client.chat.parseStream({ ...SHORT, responseFormat: z.object({ city: z.string() }) });
      for await (const _ of stream) void _;
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.invocation_parameters']).to.equal('{"model":"mistral-small-latest"}');
      expect(span.attributes).to.deep.include(STREAM_OUTPUT);
    });

    it('getReader() read to the end: OK with output and tokens; the app reads what it reads without us', async () => {
      server.reply({ sse: chatStream() });
      const events = await readAll((await client.chat.stream(SHORT)).getReader());
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.events).to.deep.equal([]);
      expect(span.attributes).to.deep.include(STREAM_OUTPUT);
      expect(events).to.deep.equal(await uninstrumented({ sse: chatStream() }, (s) => readAll(s.getReader())));
    });

    it('getReader() and a connection dropped mid-stream: ERROR with the error the app got, partial output kept', async () => {
      server.reply({ sse: chatStream(), dropAfter: 3 });
      const outcome = await readOutcome(await client.chat.stream(SHORT));
      expect(outcome.error).to.be.a('string');
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).to.equal(outcome.error!.split(':')[0]);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me check.');
      expect(outcome).to.deep.equal(await uninstrumented({ sse: chatStream(), dropAfter: 3 }, readOutcome));
    });

    it('getReader() and a malformed event: ERROR with the error the app got', async () => {
      server.reply({ sse: malformedChatStream() });
      const outcome = await readOutcome(await client.chat.stream(SHORT));
      expect(outcome.events).to.have.length(2);
      expect(outcome.error).to.be.a('string');
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).to.equal(outcome.error!.split(':')[0]);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me ');
      expect(outcome).to.deep.equal(await uninstrumented({ sse: malformedChatStream() }, readOutcome));
    });

    it('reader.cancel() mid-stream: abandoned once, with what was read', async () => {
      server.reply({ sse: chatStream() });
      const reader = (await client.chat.stream(SHORT)).getReader();
      await reader.read();
      await reader.read();
      await reader.cancel('enough');
      expect((await reader.read()).done).to.equal(true);
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.UNSET);
      expect(span.events.map((e) => e.name)).to.deep.equal([STREAM_ABANDONED_EVENT]);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me ');
    });

    it('releaseLock(): the released reader\'s read() and cancel() fail as without us and leave the span alone; read on to the end, OK', async () => {
      /** Two events through a reader, released; its read() and cancel(); the rest through for await. */
      const read = async (stream: ReadableStream<any>) => {
        const reader = stream.getReader();
        const events = [(await reader.read()).value, (await reader.read()).value];
        reader.releaseLock();
        const errors = await Promise.all([reader.read(), reader.cancel('late')].map((p) => p.then(() => 'ok', (e: Error) => e.constructor.name)));
        for await (const event of stream as unknown as AsyncIterable<unknown>) events.push(event);
        return { events, errors };
      };
      server.reply({ sse: chatStream() });
      const outcome = await read(await client.chat.stream(SHORT));
      expect(outcome.errors).to.deep.equal(['TypeError', 'TypeError']);
      expect(outcome.events).to.have.length(5);
      expect(outcome).to.deep.equal(await uninstrumented({ sse: chatStream() }, read));
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.events).to.deep.equal([]);
      expect(span.attributes).to.deep.include(STREAM_OUTPUT);
    });

    it('tee(): both branches get every event; one span, OK with the output', async () => {
      server.reply({ sse: chatStream() });
      const [a, b] = (await client.chat.stream(SHORT)).tee();
      const [left, right] = await Promise.all([readAll(a.getReader()), readAll(b.getReader())]);
      expect(left).to.have.length(5);
      expect(right).to.deep.equal(left);
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes).to.deep.include(STREAM_OUTPUT);
      expect(left).to.deep.equal(await uninstrumented({ sse: chatStream() }, (s) => readAll(s.tee()[0].getReader())));
    });

    it('pipeThrough() and pipeTo(): one span each, OK with the output', async () => {
      server.reply({ sse: chatStream() });
      const piped = await readAll((await client.chat.stream(SHORT)).pipeThrough(new TransformStream()).getReader());
      const written: unknown[] = [];
      await (await client.chat.stream(SHORT)).pipeTo(new WritableStream({ write: (chunk) => void written.push(chunk) }));
      expect(written).to.deep.equal(piped);
      expect(piped).to.have.length(5);
      const spans = llmSpans(await tracing.spans());
      expect(spans.map((s) => [s.status.code, s.attributes['llm.output_messages.0.message.content'], s.attributes['llm.token_count.total']])).to.deep.equal([
        [SpanStatusCode.OK, 'Let me check.', 43],
        [SpanStatusCode.OK, 'Let me check.', 43],
      ]);
    });

    it('values(): OK with the output; a locked stream still gets the runtime’s own error', async () => {
      server.reply({ sse: chatStream() });
      const stream = await client.chat.stream(SHORT);
      let n = 0;
      for await (const _ of stream.values()) n++;
      expect(n).to.equal(5);
      expect(() => stream.getReader()).not.to.throw();
      expect(() => stream.tee()).to.throw(TypeError);
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes).to.deep.include(STREAM_OUTPUT);
    });
  });
}
