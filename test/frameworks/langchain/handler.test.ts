import { expect } from 'chai';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { callbackHandlerPrefersStreaming, isBaseCallbackHandler } from '@langchain/core/callbacks/base';
import { Document } from '@langchain/core/documents';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { BaseRetriever } from '@langchain/core/retrievers';
import { RunnableLambda } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { Annotation, interrupt, MemorySaver, StateGraph } from '@langchain/langgraph';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { z } from 'zod';
import { RUN_ABANDONED_EVENT } from '../../../lib/frameworks/run-span';
import { LangChainHandler } from '../../../lib/frameworks/langchain/handler';
import { createCallRecord } from '../../../lib/record/call-record';
import { LlmCall, type CallRuntime } from '../../../lib/instrumentation/llm-call';
import { enterRunScope, runScopeOf } from '../../../lib/instrumentation/run-scope';
import { resolveTraceConfig } from '../../../lib/masking/trace-config';
import { createTracing, useInstrumentation, type TestTracing } from '../../helpers/tracing';
import { expectChildOf, kindOf, only, outline } from './e2e/tree';

/** A chat model that answers with the next scripted message (tool calls, usage, response metadata as given). */
class ScriptedChatModel extends BaseChatModel {
  private next = 0;
  constructor(private readonly replies: AIMessage[]) {
    super({});
  }
  _llmType(): string {
    return 'scripted';
  }
  async _generate(_messages: BaseMessage[]): Promise<ChatResult> {
    const message = this.replies[this.next++ % this.replies.length];
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
  }
  override bindTools(tools: unknown[]): this {
    return this.withConfig({ tools } as never) as never;
  }
}

class FailingChatModel extends ScriptedChatModel {
  override async _generate(): Promise<ChatResult> {
    throw new TypeError('model down');
  }
}

class ShelfRetriever extends BaseRetriever {
  override lc_namespace = ['test', 'retrievers'];
  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    return [
      new Document({ id: 'doc-1', pageContent: `about ${query}`, metadata: { source: 'a.txt', score: 0.9 } }),
      new Document({ pageContent: 'second', metadata: {} }),
    ];
  }
}

const reply = (content: string) =>
  new AIMessage({
    content,
    response_metadata: { model_name: 'scripted-2025-01-01', finish_reason: 'stop' },
    usage_metadata: {
      input_tokens: 11,
      output_tokens: 7,
      total_tokens: 18,
      input_token_details: { cache_read: 3 },
      output_token_details: { reasoning: 2 },
    },
  });

const prompt = () => ChatPromptTemplate.fromMessages([['system', 'You are {role}.'], ['human', 'Tell me about {topic}']]);

describe('LangChainHandler (through @langchain/core)', () => {
  let tracing: TestTracing;
  let runtime: CallRuntime;
  let handler: LangChainHandler;

  before(() => {
    // The process-wide instrumentation (other suites enable it) would add its own handler to every run.
    useInstrumentation().instrumentation.disable();
  });

  beforeEach(() => {
    tracing = createTracing();
    runtime = { tracer: tracing.provider.getTracer('@infinium/otel'), traceConfig: resolveTraceConfig({}, {}) };
    handler = new LangChainHandler(runtime);
  });

  const attr = (span: ReadableSpan, key: string) => span.attributes[key];

  it('is a callback handler LangChain keeps as it is: awaited, never raising, never preferring streaming', () => {
    expect(isBaseCallbackHandler(handler)).to.equal(true);
    expect(callbackHandlerPrefersStreaming(handler as never)).to.equal(false);
    expect(handler.copy()).to.equal(handler);
    expect([handler.name, handler.awaitHandlers, handler.raiseError, handler.ignoreLLM, handler.ignoreChain]).to.deep.equal(['infinium_otel', true, false, false, false]);
  });

  it('an LCEL chain (prompt | model | parser): CHAIN with PROMPT, LLM and parser children under the app span', async () => {
    const chain = prompt().pipe(new ScriptedChatModel([reply('Cats purr.')])).pipe(new StringOutputParser());
    const result = await tracing.inParent('app', () =>
      chain.invoke({ role: 'a poet', topic: 'cats' }, { callbacks: [handler], metadata: { session_id: 's-1', user_id: 'u-1', team: 'x' }, tags: ['prod'] }),
    );
    expect(result).to.equal('Cats purr.');
    const spans = await tracing.spans();
    expect(outline(spans)).to.deep.equal(['app -', '  RunnableSequence CHAIN', '    ChatPromptTemplate PROMPT', '    chat LLM', '    StrOutputParser CHAIN']);
    expect(handler.openRuns).to.equal(0);
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
    for await (const chunk of await chain.stream({ role: 'a poet', topic: 'cats' }, { callbacks: [handler] })) text += chunk;
    expect(text).to.equal('Cats purr.');
    const spans = await tracing.spans();
    // Streaming pulls from the last step first: the parser's run and the model's start in either order.
    const [root, ...children] = outline(spans);
    expect([root, ...children.sort()]).to.deep.equal(['RunnableSequence CHAIN', '  ChatPromptTemplate PROMPT', '  StrOutputParser CHAIN', '  chat LLM']);
    const sequence = only(spans, 'RunnableSequence');
    expect(attr(sequence, 'input.value')).to.equal('{"role":"a poet","topic":"cats"}');
    expect(attr(sequence, 'output.value')).to.equal('Cats purr.');
    expect(attr(only(spans, 'ChatPromptTemplate'), 'llm.prompt_template.variables')).to.equal('{"role":"a poet","topic":"cats"}');
  });

  it('batch of 3: three separate subtrees, each LLM span under its own chain', async () => {
    const chain = prompt().pipe(new ScriptedChatModel([reply('A'), reply('B'), reply('C')]));
    await tracing.inParent('app', () => chain.batch(['cats', 'dogs', 'owls'].map((topic) => ({ role: 'r', topic })), { callbacks: [handler] }));
    const spans = await tracing.spans();
    const sequences = spans.filter((s) => s.name === 'RunnableSequence');
    expect(sequences).to.have.length(3);
    for (const sequence of sequences) {
      expectChildOf(sequence, only(spans, 'app'));
      expect(outline(spans, sequence)).to.deep.equal(['RunnableSequence CHAIN', '  ChatPromptTemplate PROMPT', '  chat LLM']);
      const topic = JSON.parse(String(attr(sequence, 'input.value'))).topic;
      const llm = spans.find((s) => kindOf(s) === 'LLM' && s.parentSpanContext?.spanId === sequence.spanContext().spanId)!;
      expect(attr(llm, 'llm.input_messages.1.message.content')).to.equal(`Tell me about ${topic}`);
    }
  });

  it('Promise.all of two invokes under two app spans: each run stays under its own', async () => {
    const lambda = RunnableLambda.from(async (x: number) => x * 2);
    await Promise.all([1, 2].map((n) => tracing.inParent(`app-${n}`, () => lambda.invoke(n, { callbacks: [handler] }))));
    const spans = await tracing.spans();
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
    await chain.invoke('x', { callbacks: [handler] }).catch((err: unknown) => (caught = err));
    expect(caught).to.equal(failure);
    const spans = await tracing.spans();
    expect(outline(spans)).to.deep.equal(['pipeline CHAIN', '  RunnableLambda CHAIN', '  RunnableLambda CHAIN']);
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
    await failing.invoke('hi', { callbacks: [handler] }).catch((err: unknown) => (caught = err));
    expect(caught).to.be.instanceOf(TypeError);
    const [llm] = await tracing.spans();
    expect(llm.name).to.equal('chat');
    expect(llm.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'model down' });
    expect(attr(llm, 'error.type')).to.equal('TypeError');
    expect(attr(llm, 'llm.input_messages.0.message.content')).to.equal('hi');
  });

  it('a tool called with a tool call: tool.name, the arguments as JSON, the ToolMessage content, the call id', async () => {
    const adder = tool(async ({ a }: { a: number }) => `got ${a}`, { name: 'adder', description: 'adds one', schema: z.object({ a: z.number() }) });
    const message = await adder.invoke({ id: 'call_1', name: 'adder', args: { a: 2 }, type: 'tool_call' }, { callbacks: [handler] });
    expect(message.content).to.equal('got 2');
    const [span] = await tracing.spans();
    expect(span.name).to.equal('adder');
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes).to.deep.include({
      'openinference.span.kind': 'TOOL',
      'tool.name': 'adder',
      'tool_call.id': 'call_1',
      'input.value': '{"a":2}',
      'output.value': 'got 2',
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
    await broken.invoke({}, { callbacks: [handler] }).catch((err: unknown) => (caught = err));
    expect(caught).to.equal(failure);
    const [span] = await tracing.spans();
    expect([span.name, kindOf(span), span.status.code, attr(span, 'error.type')]).to.deep.equal(['broken', 'TOOL', SpanStatusCode.ERROR, 'Error']);
  });

  it('a retriever: RETRIEVER with the query and exactly the documents returned', async () => {
    const docs = await new ShelfRetriever().invoke('cats', { callbacks: [handler] });
    expect(docs).to.have.length(2);
    const [span] = await tracing.spans();
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

  it('a LangGraph agent: AGENT named after the agent, nodes with graph.node.*, a thrown tool error on its TOOL span only', async () => {
    const adder = tool(async ({ a }: { a: number }) => `got ${a}`, { name: 'adder', description: 'adds', schema: z.object({ a: z.number() }) });
    const broken = tool(
      async () => {
        throw new Error('boom');
      },
      { name: 'broken', description: 'fails', schema: z.object({}) },
    );
    const model = new ScriptedChatModel([
      new AIMessage({ content: '', tool_calls: [{ id: 'call_1', name: 'adder', args: { a: 2 } }, { id: 'call_2', name: 'broken', args: {} }] }),
      reply('done'),
    ]);
    const agent = createReactAgent({ llm: model, tools: [adder, broken], name: 'helper' });
    await tracing.inParent('app', () => agent.invoke({ messages: [{ role: 'user', content: 'add 2' }] }, { callbacks: [handler], configurable: { thread_id: 't-9' } }));
    const spans = await tracing.spans();
    const root = only(spans, 'helper');
    expectChildOf(root, only(spans, 'app'));
    // The tools run concurrently: their order is checked apart.
    expect(outline(spans, root).filter((line) => !line.includes('RunnableLambda') && !line.includes('TOOL'))).to.deep.equal([
      'helper AGENT',
      '  __start__ CHAIN',
      '  agent CHAIN',
      '    RunnableSequence CHAIN',
      '      prompt CHAIN',
      '      chat LLM',
      '  tools CHAIN',
      '  agent CHAIN',
      '    RunnableSequence CHAIN',
      '      prompt CHAIN',
      '      chat LLM',
    ]);
    expect(attr(root, 'agent.name')).to.equal('helper');
    expect(attr(root, 'graph.node.id')).to.be.a('string');
    const nodes = spans.filter((s) => s.name === 'agent' || s.name === 'tools');
    expect(nodes).to.have.length(3);
    for (const node of nodes) {
      expect(attr(node, 'graph.node.name')).to.equal(node.name);
      expect(String(attr(node, 'graph.node.id'))).to.match(new RegExp(`^${node.name}:`));
      expect(attr(node, 'graph.node.parent_id')).to.equal(attr(root, 'graph.node.id'));
    }
    for (const name of ['adder', 'broken']) expectChildOf(only(spans, name), only(spans, 'tools'));
    const brokenSpan = only(spans, 'broken');
    expect([brokenSpan.status.code, attr(brokenSpan, 'tool_call.id')]).to.deep.equal([SpanStatusCode.ERROR, 'call_2']);
    expect([only(spans, 'adder').status.code, attr(only(spans, 'adder'), 'output.value')]).to.deep.equal([SpanStatusCode.OK, 'got 2']);
    expect(root.status.code).to.equal(SpanStatusCode.OK);
    for (const span of spans.filter((s) => s.name !== 'app')) expect(attr(span, 'session.id'), span.name).to.equal('t-9');
    const llms = spans.filter((s) => kindOf(s) === 'LLM');
    expect(llms).to.have.length(2);
    expect(llms[0].attributes).to.include({
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'call_1',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'adder',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"a":2}',
      'llm.tools.0.tool.json_schema': '{"type":"function","function":{"name":"adder","description":"adds"}}',
    });
    expect(handler.openRuns).to.equal(0);
  });

  it('a LangGraph interrupt is no error: the interrupted node ends unfinished, the graph OK', async () => {
    const State = Annotation.Root({ answer: Annotation<string> });
    const graph = new StateGraph(State)
      .addNode('ask', () => ({ answer: String(interrupt('Which city?')) }))
      .addEdge('__start__', 'ask')
      .compile({ checkpointer: new MemorySaver(), name: 'asker' });
    const result = await graph.invoke({ answer: '' }, { callbacks: [handler], configurable: { thread_id: 't-i' } });
    expect(result).to.have.property('__interrupt__');
    const spans = await tracing.spans();
    expect(spans.filter((s) => s.status.code === SpanStatusCode.ERROR).map((s) => s.name)).to.deep.equal([]);
    expect(only(spans, 'ask').events.map((e) => e.name)).to.deep.equal([RUN_ABANDONED_EVENT]);
    expect(kindOf(only(spans, 'asker'))).to.equal('AGENT');
    expect(handler.openRuns).to.equal(0);
  });

  it('a model run an SDK call claims: that call is the one LLM span, with the run attributes, under the chain', async () => {
    /** Stands for our SDK patch (an LlmCall in the model's scope) and for the framework patch (the scope around generate). */
    class ServedChatModel extends ScriptedChatModel {
      override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
        const call = new LlmCall(runtime, createCallRecord('LLM', 'chat', 'openai', 'openai'), context.active());
        call.succeed();
        return super._generate(messages);
      }
      override generate(...args: Parameters<ScriptedChatModel['generate']>): ReturnType<ScriptedChatModel['generate']> {
        return context.with(enterRunScope(context.active()).context, () => super.generate(...args));
      }
    }
    const chain = prompt().pipe(new ServedChatModel([reply('ok')]));
    await chain.invoke({ role: 'r', topic: 't' }, { callbacks: [handler], metadata: { session_id: 's-2' } });
    const spans = await tracing.spans();
    expect(outline(spans)).to.deep.equal(['RunnableSequence CHAIN', '  ChatPromptTemplate PROMPT', '  chat LLM']);
    const llm = spans.find((s) => kindOf(s) === 'LLM')!;
    expect(attr(llm, 'llm.provider')).to.equal('openai');
    expect(attr(llm, 'session.id')).to.equal('s-2');
    expect(attr(llm, 'metadata')).to.equal('{"session_id":"s-2"}');
  });

  it('a parent ending while a child is open ends the child first, abandoned', async () => {
    handler.handleChainStart({ lc: 1, id: ['x', 'Outer'] }, { input: 1 }, 'outer');
    handler.handleChainStart({ lc: 1, id: ['x', 'Inner'] }, { input: 2 }, 'inner', 'outer');
    handler.handleChatModelStart({ lc: 1, id: ['x', 'Model'] }, [[]], 'model', 'inner');
    handler.handleChainEnd({ output: 3 }, 'outer');
    const spans = await tracing.spans();
    expect(spans.map((s) => s.name)).to.deep.equal(['chat', 'Inner', 'Outer']);
    expect(spans[0].events.map((e) => e.name)).to.deep.equal(['infinium.stream.abandoned']);
    expect(spans[1].events.map((e) => e.name)).to.deep.equal([RUN_ABANDONED_EVENT]);
    expect(spans[2].status.code).to.equal(SpanStatusCode.OK);
    expect(handler.openRuns).to.equal(0);
  });

  it('the table is bounded: past the limit the oldest open run ends abandoned', async () => {
    const small = new LangChainHandler(runtime, 2);
    for (const id of ['r1', 'r2', 'r3']) small.handleChainStart({ lc: 1, id: ['x', id] }, {}, id);
    expect(small.openRuns).to.equal(2);
    const [evicted] = await tracing.spans();
    expect([evicted.name, evicted.events.map((e) => e.name)]).to.deep.equal(['r1', [RUN_ABANDONED_EVENT]]);
    small.handleChainEnd({}, 'r2');
    small.handleChainEnd({}, 'r3');
    expect((await tracing.spans()).map((s) => s.name)).to.deep.equal(['r1', 'r2', 'r3']);
  });

  it('run scopes: a run started in an unbound scope binds it; abandonRunsIn ends its run and descendants', async () => {
    const app = runtime.tracer.startSpan('app');
    const { scope, context: inScope } = enterRunScope(trace.setSpan(ROOT_CONTEXT, app));
    context.with(inScope, () => handler.handleChainStart({ lc: 1, id: ['x', 'Streamed'] }, {}, 'run'));
    expect(scope.isBound).to.equal(true);
    const runContext = handler.contextOfRun('run', inScope)!;
    expect(runScopeOf(runContext)).to.equal(undefined);
    context.with(runContext, () => handler.handleToolStart({ name: 'search' }, 'q', 'child', 'run'));
    expect(handler.contextOfRun('unknown', inScope)).to.equal(undefined);
    handler.abandonRunsIn(scope);
    app.end();
    const spans = await tracing.spans();
    expect(outline(spans)).to.deep.equal(['app -', '  Streamed CHAIN', '    search TOOL']);
    for (const span of spans.filter((s) => s.name !== 'app')) expect(span.events.map((e) => e.name)).to.deep.equal([RUN_ABANDONED_EVENT]);
    expect(handler.openRuns).to.equal(0);
  });

  it('a run with no parent run in an unbound scope goes under the scope outer span; a model run binds it to that parent and offers itself', async () => {
    const app = runtime.tracer.startSpan('app');
    const { scope, context: inScope } = enterRunScope(trace.setSpan(ROOT_CONTEXT, app));
    context.with(inScope, () => handler.handleChatModelStart({ lc: 1, id: ['x', 'Model'] }, [[]], 'm', undefined, {}, [], { user_id: 'u-3' }));
    expect(scope.target).to.equal(app);
    expect(scope.claim()?.attributes).to.deep.equal({ 'user.id': 'u-3', metadata: '{"user_id":"u-3"}' });
    handler.handleLLMEnd({ generations: [[{ text: 'x' }]] }, 'm');
    app.end();
    // Claimed: the SDK call was the LLM span, so the run renders none.
    expect(outline(await tracing.spans())).to.deep.equal(['app -']);
  });

  it('never throws into LangChain, whatever the arguments', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('hostile'); }, ownKeys: () => { throw new Error('hostile'); } });
    const calls: Array<() => unknown> = [
      () => handler.handleChainStart(hostile, hostile, 'a', undefined, hostile, hostile, hostile, hostile, hostile),
      () => handler.handleChainEnd(hostile, 'a', undefined, hostile, hostile),
      () => handler.handleChatModelStart(hostile, hostile, 'b', undefined, hostile, hostile, hostile),
      () => handler.handleLLMEnd(hostile, 'b'),
      () => handler.handleToolStart(hostile, hostile, 'c', undefined, hostile, hostile, hostile, hostile),
      () => handler.handleToolEnd(hostile, 'c'),
      () => handler.handleRetrieverStart(hostile, hostile, 'd'),
      () => handler.handleRetrieverEnd(hostile, 'd'),
      () => handler.handleLLMError(hostile, 'x'),
      () => handler.contextOfRun(undefined, ROOT_CONTEXT),
    ];
    for (const call of calls) expect(call).to.not.throw();
  });
});
