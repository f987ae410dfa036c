import { expect } from 'chai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { LangChainHandler } from '../../../lib/frameworks/langchain/handler';
import { resolveTraceConfig } from '../../../lib/masking/trace-config';
import { expectChildOf, kindOf, only } from './e2e/tree';
import { attr, nameOutline, FailingChatModel, lc, prompt, reply, ScriptedChatModel, ShelfRetriever, useHandler } from './handler-fixtures';

const { callbackHandlerPrefersStreaming, isBaseCallbackHandler } = lc.callbacks;
const { StringOutputParser } = lc.parsers;
const { RunnableLambda } = lc.runnables;
const { tool } = lc.tools;
const { z } = lc.zod;

describe('LangChainHandler: chains, models, tools and retrievers (through @langchain/core)', () => {
  const suite = useHandler();

  it('is a callback handler LangChain keeps as it is: awaited, never raising, never preferring streaming', () => {
    expect(isBaseCallbackHandler(suite.handler)).to.equal(true);
    expect(callbackHandlerPrefersStreaming(suite.handler as never)).to.equal(false);
    expect(suite.handler.copy()).to.equal(suite.handler);
    expect([suite.handler.name, suite.handler.awaitHandlers, suite.handler.raiseError, suite.handler.ignoreLLM, suite.handler.ignoreChain]).to.deep.equal(['infinium_otel', true, false, false, false]);
  });

  it('an LCEL chain (prompt | model | parser): CHAIN with PROMPT, LLM and parser children under the app span', async () => {
    const chain = prompt().pipe(new ScriptedChatModel([reply('Cats purr.')])).pipe(new StringOutputParser());
    const result = await suite.tracing.inParent('app', () =>
      chain.invoke({ role: 'a poet', topic: 'cats' }, { callbacks: [suite.handler], metadata: { session_id: 's-1', user_id: 'u-1', team: 'x' }, tags: ['prod'] }),
    );
    expect(result).to.equal('Cats purr.');
    const spans = await suite.tracing.spans();
    expect(nameOutline(spans)).to.deep.equal(['app -', '  RunnableSequence CHAIN', '    ChatPromptTemplate PROMPT', '    StrOutputParser CHAIN', '    chat LLM']);
    expect(suite.handler.openRuns).to.equal(0);
    const sequence = only(spans, 'RunnableSequence');
    expectChildOf(sequence, only(spans, 'app'));
    expect(attr(sequence, 'input.value')).to.equal('{"role":"a poet","topic":"cats"}');
    expect(attr(sequence, 'output.value')).to.equal('Cats purr.');
    const promptSpan = only(spans, 'ChatPromptTemplate');
    expect(attr(promptSpan, 'llm.prompt_template.template')).to.equal('system: You are {role}.\nuser: Tell me about {topic}');
    expect(attr(promptSpan, 'llm.prompt_template.variables')).to.equal('{"role":"a poet","topic":"cats"}');
    expect(attr(promptSpan, 'output.value')).to.equal('[{"role":"system","content":"You are a poet."},{"role":"user","content":"Tell me about cats"}]');
    const llm = spans.find((s) => kindOf(s) === 'LLM')!;
    expect(llm.kind).to.equal(SpanKind.CLIENT);
    expect(llm.status.code).to.equal(SpanStatusCode.OK);
    expect(llm.attributes).to.include({
      'llm.provider': 'scriptedchatmodel',
      'llm.model_name': 'scripted-2025-01-01',
      'llm.token_count.prompt': 11,
      'llm.token_count.completion': 7,
      'llm.token_count.total': 18,
      'llm.token_count.prompt_details.cache_read': 3,
      'llm.token_count.completion_details.reasoning': 2,
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'You are a poet.',
      'llm.input_messages.1.message.role': 'user',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Cats purr.',
    });
    for (const span of spans.filter((s) => s.name !== 'app')) {
      expect(attr(span, 'session.id'), span.name).to.equal('s-1');
      expect(attr(span, 'user.id'), span.name).to.equal('u-1');
      expect(attr(span, 'metadata'), span.name).to.equal('{"session_id":"s-1","user_id":"u-1","team":"x"}');
      expect(attr(span, 'tag.tags'), span.name).to.deep.equal(['prod']);
    }
  });

  it('.stream(): the chain gets its inputs at the end and its whole streamed output', async () => {
    const chain = prompt().pipe(new ScriptedChatModel([reply('Cats purr.')])).pipe(new StringOutputParser());
    let text = '';
    for await (const chunk of await chain.stream({ role: 'a poet', topic: 'cats' }, { callbacks: [suite.handler] })) text += chunk;
    expect(text).to.equal('Cats purr.');
    const spans = await suite.tracing.spans();
    expect(nameOutline(spans)).to.deep.equal(['RunnableSequence CHAIN', '  ChatPromptTemplate PROMPT', '  StrOutputParser CHAIN', '  chat LLM']);
    const sequence = only(spans, 'RunnableSequence');
    expect(attr(sequence, 'input.value')).to.equal('{"role":"a poet","topic":"cats"}');
    expect(attr(sequence, 'output.value')).to.equal('Cats purr.');
    expect(attr(only(spans, 'ChatPromptTemplate'), 'llm.prompt_template.variables')).to.equal('{"role":"a poet","topic":"cats"}');
  });

  it('batch of 3: three separate subtrees, each LLM span under its own chain', async () => {
    const chain = prompt().pipe(new ScriptedChatModel([reply('A'), reply('B'), reply('C')]));
    await suite.tracing.inParent('app', () => chain.batch(['cats', 'dogs', 'owls'].map((topic) => ({ role: 'r', topic })), { callbacks: [suite.handler] }));
    const spans = await suite.tracing.spans();
    const sequences = spans.filter((s) => s.name === 'RunnableSequence');
    expect(sequences).to.have.length(3);
    for (const sequence of sequences) {
      expectChildOf(sequence, only(spans, 'app'));
      expect(nameOutline(spans, sequence)).to.deep.equal(['RunnableSequence CHAIN', '  ChatPromptTemplate PROMPT', '  chat LLM']);
      const topic = JSON.parse(String(attr(sequence, 'input.value'))).topic;
      const llm = spans.find((s) => kindOf(s) === 'LLM' && s.parentSpanContext?.spanId === sequence.spanContext().spanId)!;
      expect(attr(llm, 'llm.input_messages.1.message.content')).to.equal(`Tell me about ${topic}`);
    }
  });

  it('Promise.all of two invokes under two app spans: each run stays under its own', async () => {
    const lambda = RunnableLambda.from(async (x: number) => x * 2);
    await Promise.all([1, 2].map((n) => suite.tracing.inParent(`app-${n}`, () => lambda.invoke(n, { callbacks: [suite.handler] }))));
    const spans = await suite.tracing.spans();
    for (const n of [1, 2]) {
      const run = spans.find((s) => s.name === 'RunnableLambda' && attr(s, 'input.value') === String(n))!;
      expect(run.attributes['input.value']).to.equal(String(n));
      expectChildOf(run, only(spans, `app-${n}`));
      expect(attr(run, 'output.value')).to.equal(String(n * 2));
    }
  });

  it('an error: ERROR and an exception event on the failing run and its parents; the app gets the same error object', async () => {
    const failure = new RangeError('bad input');
    const chain = RunnableLambda.from((x: string) => x)
      .pipe(
        RunnableLambda.from(() => {
          throw failure;
        }),
      )
      .withConfig({ runName: 'pipeline' });
    let caught: unknown;
    await chain.invoke('x', { callbacks: [suite.handler] }).catch((err: unknown) => (caught = err));
    expect(caught).to.equal(failure);
    const spans = await suite.tracing.spans();
    expect(nameOutline(spans)).to.deep.equal(['pipeline CHAIN', '  RunnableLambda CHAIN', '  RunnableLambda CHAIN']);
    const [first, failing] = spans.filter((s) => s.name === 'RunnableLambda').sort((a, b) => a.startTime[1] - b.startTime[1] || a.startTime[0] - b.startTime[0]);
    expect(first.status.code).to.equal(SpanStatusCode.OK);
    for (const span of [failing, only(spans, 'pipeline')]) {
      expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'bad input' });
      expect(attr(span, 'error.type')).to.equal('RangeError');
      expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
    }
  });

  it('a model error: the unclaimed model run is an LLM span with ERROR', async () => {
    const failing = new FailingChatModel([]);
    let caught: unknown;
    await failing.invoke('hi', { callbacks: [suite.handler] }).catch((err: unknown) => (caught = err));
    expect(caught).to.be.instanceOf(TypeError);
    const [llm] = await suite.tracing.spans();
    expect(llm.name).to.equal('chat');
    expect(llm.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'model down' });
    expect(attr(llm, 'error.type')).to.equal('TypeError');
    expect(attr(llm, 'llm.input_messages.0.message.content')).to.equal('hi');
  });

  it('a tool called with a tool call: tool.name, the arguments as JSON, the ToolMessage content, the call id', async () => {
    const adder = tool(async ({ a }: { a: number }) => `got ${a}`, { name: 'adder', description: 'adds one', schema: z.object({ a: z.number() }) });
    const message = await adder.invoke({ id: 'call_1', name: 'adder', args: { a: 2 }, type: 'tool_call' }, { callbacks: [suite.handler] });
    expect(message.content).to.equal('got 2');
    const [span] = await suite.tracing.spans();
    expect(span.name).to.equal('adder');
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes).to.deep.include({
      'openinference.span.kind': 'TOOL',
      'tool.name': 'adder',
      'tool_call.id': 'call_1',
      'input.value': '{"a":2}',
      'input.mime_type': 'application/json',
      'output.value': 'got 2',
      'output.mime_type': 'text/plain',
    });
  });

  it('a tool that throws: TOOL span ERROR, the app gets its error', async () => {
    const failure = new Error('boom');
    const broken = tool(
      async () => {
        throw failure;
      },
      { name: 'broken', description: 'fails', schema: z.object({}) },
    );
    let caught: unknown;
    await broken.invoke({}, { callbacks: [suite.handler] }).catch((err: unknown) => (caught = err));
    expect(caught).to.equal(failure);
    const [span] = await suite.tracing.spans();
    expect([span.name, kindOf(span), span.status.code, attr(span, 'error.type')]).to.deep.equal(['broken', 'TOOL', SpanStatusCode.ERROR, 'Error']);
  });

  it('a retriever: RETRIEVER with the query and exactly the documents returned', async () => {
    const docs = await new ShelfRetriever().invoke('cats', { callbacks: [suite.handler] });
    expect(docs).to.have.length(2);
    const [span] = await suite.tracing.spans();
    expect(span.name).to.equal('ShelfRetriever');
    expect(span.attributes).to.deep.equal({
      'openinference.span.kind': 'RETRIEVER',
      'input.value': 'cats',
      'input.mime_type': 'text/plain',
      'retrieval.documents.0.document.id': 'doc-1',
      'retrieval.documents.0.document.content': 'about cats',
      'retrieval.documents.0.document.metadata': '{"source":"a.txt","score":0.9}',
      'retrieval.documents.0.document.score': 0.9,
      'retrieval.documents.1.document.content': 'second',
    });
  });


  it('captureContent: false: no input, output, template, arguments or document text on any span; kinds, names, ids and tokens stay', async () => {
    const hidden = new LangChainHandler({ ...suite.runtime, traceConfig: resolveTraceConfig({ captureContent: false }, {}) });
    const chain = prompt().pipe(new ScriptedChatModel([reply('SECRET-ANSWER')])).pipe(new StringOutputParser());
    await chain.invoke({ role: 'SECRET-ROLE', topic: 'SECRET-TOPIC' }, { callbacks: [hidden], metadata: { session_id: 's-9' } });
    const adder = tool(async ({ a }: { a: string }) => `SECRET-${a}`, { name: 'adder', description: 'adds', schema: z.object({ a: z.string() }) });
    await adder.invoke({ id: 'call_1', name: 'adder', args: { a: 'SECRET-ARG' }, type: 'tool_call' }, { callbacks: [hidden] });
    await new ShelfRetriever().invoke('SECRET-QUERY', { callbacks: [hidden] });
    const spans = await suite.tracing.spans();
    expect(JSON.stringify(spans.map((s) => s.attributes))).to.not.include('SECRET');
    expect(nameOutline(spans)).to.deep.equal(['RunnableSequence CHAIN', '  ChatPromptTemplate PROMPT', '  StrOutputParser CHAIN', '  chat LLM', 'adder TOOL', 'ShelfRetriever RETRIEVER']);
    const llm = spans.find((s) => kindOf(s) === 'LLM')!;
    expect([attr(llm, 'llm.token_count.total'), attr(llm, 'session.id')]).to.deep.equal([18, 's-9']);
    expect([attr(only(spans, 'adder'), 'tool.name'), attr(only(spans, 'adder'), 'tool_call.id')]).to.deep.equal(['adder', 'call_1']);
    expect(attr(only(spans, 'ShelfRetriever'), 'retrieval.documents.0.document.id')).to.equal('doc-1');
  });
});
