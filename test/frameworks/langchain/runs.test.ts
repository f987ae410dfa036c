import { expect } from 'chai';
import { chainRecord, documentsOf, isHiddenChain, noteToolOutput, retrieverRecord, toolRecord } from '../../../lib/frameworks/langchain/runs';
import { promptTemplateOf } from '../../../lib/frameworks/langchain/run-prompt';
import { appMetadata, appTags, identityOf, runValue } from '../../../lib/frameworks/langchain/run-values';
import { lc } from './handler-fixtures';

const { Document } = lc.documents;
const { AIMessage, HumanMessage, SystemMessage, ToolMessage } = lc.messages;
const { ChatPromptTemplate, MessagesPlaceholder, PromptTemplate } = lc.prompts;

const graphMetadata = (node: string) => ({
  thread_id: 't-1',
  langgraph_step: 1,
  langgraph_node: node,
  langgraph_triggers: ['branch:to:agent'],
  langgraph_path: ['__pregel_pull', node],
  langgraph_checkpoint_ns: `${node}:8b2000f5`,
  checkpoint_ns: `${node}:8b2000f5`,
  ls_integration: 'langgraph',
});

describe('LangChain runs → RunRecord', () => {
  it('kinds: a sequence is a CHAIN, runType prompt a PROMPT, parser a CHAIN, a compiled graph and AgentExecutor an AGENT', () => {
    const sequence = chainRecord('r', { lc: 1, type: 'constructor', id: ['langchain_core', 'runnables', 'RunnableSequence'] }, { input: 'x' }, undefined, undefined, [], {}, undefined);
    expect([sequence.kind, sequence.name, sequence.input]).to.deep.equal(['CHAIN', 'RunnableSequence', 'x']);
    const parser = chainRecord('r', { lc: 1, id: ['langchain_core', 'output_parsers', 'StrOutputParser'] }, {}, 'parser', 'StrOutputParser', [], {}, undefined);
    expect(parser.kind).to.equal('CHAIN');
    const graph = chainRecord('g-1', { lc: 1, type: 'not_implemented', id: ['langgraph', 'pregel', 'CompiledStateGraph'] }, {}, undefined, 'helper', [], { ls_integration: 'langgraph' }, undefined);
    expect([graph.kind, graph.name, graph.agentName, graph.graphNode]).to.deep.equal(['AGENT', 'helper', 'helper', { id: 'g-1', name: 'helper', parentId: undefined }]);
    const executor = chainRecord('e', { lc: 1, id: ['langchain', 'agents', 'AgentExecutor'] }, {}, undefined, undefined, [], {}, undefined);
    expect([executor.kind, executor.agentName]).to.deep.equal(['AGENT', 'AgentExecutor']);
  });

  it('a LangGraph node run (named after langgraph_node, tagged graph:step:N): graph.node id, name and parent', () => {
    const parent = { graphId: 'g-1', isGraph: true, sessionId: 't-1' };
    const node = chainRecord('n', { lc: 1, id: ['langchain_core', 'runnables', 'RunnableSequence'] }, {}, undefined, 'agent', ['graph:step:1'], graphMetadata('agent'), parent);
    expect(node.graphNode).to.deep.equal({ id: 'agent:8b2000f5', name: 'agent', parentId: 'g-1' });
    expect(node.kind).to.equal('CHAIN');
    // A runnable inside the node inherits its metadata but is no node.
    const inner = chainRecord('i', { lc: 1, id: ['langchain_core', 'runnables', 'RunnableSequence'] }, {}, undefined, undefined, [], graphMetadata('agent'), { graphId: 'agent:8b2000f5' });
    expect(inner.graphNode).to.equal(undefined);
    // Metadata the framework adds is not the app's; thread_id is.
    expect(node.metadata).to.deep.equal({ thread_id: 't-1' });
    expect(node.sessionId).to.equal('t-1');
  });

  it('prompt templates: every message of a ChatPromptTemplate on its role, placeholders, fixed messages; live and serialized', () => {
    const template = ChatPromptTemplate.fromMessages([
      ['system', 'You are {role}.'],
      new MessagesPlaceholder('history'),
      ['human', 'Tell me about {topic}'],
      ['ai', 'Sure.'],
      new SystemMessage('Be brief.'),
    ]);
    const expected = 'system: You are {role}.\nplaceholder: {history}\nuser: Tell me about {topic}\nassistant: Sure.\nsystem: Be brief.';
    const live = template.toJSON();
    expect(promptTemplateOf(live, { role: 'r', topic: 't' })).to.deep.equal({ template: expected, variables: { role: 'r', topic: 't' } });
    expect(promptTemplateOf(JSON.parse(JSON.stringify(live)), {})).to.deep.equal({ template: expected, variables: undefined });
    expect(promptTemplateOf(PromptTemplate.fromTemplate('Q: {q}').toJSON(), { q: 1 })).to.deep.equal({ template: 'Q: {q}', variables: { q: 1 } });
    const record = chainRecord('p', live, { role: 'r', topic: 't' }, 'prompt', 'ChatPromptTemplate', [], {}, undefined);
    expect([record.kind, record.promptTemplate?.template]).to.deep.equal(['PROMPT', expected]);
  });

  it('tools: the name from serialized, else the run name; JSON arguments parsed, other text as given; a ToolMessage gives its content and call id', () => {
    const record = toolRecord({ lc: 1, type: 'not_implemented', id: ['langchain', 'tools', 'DynamicStructuredTool'] }, '{"a":2}', 'adder', undefined, [], {}, undefined);
    expect([record.kind, record.name, record.input, record.tool]).to.deep.equal(['TOOL', 'adder', { a: 2 }, { name: 'adder', description: undefined, callId: undefined }]);
    expect(toolRecord({}, ' [1,2]', 't', undefined, [], {}, undefined).input).to.deep.equal([1, 2]);
    expect(toolRecord({}, '{not json', 't', undefined, [], {}, undefined).input).to.equal('{not json');
    expect(toolRecord({}, '42', 't', undefined, [], {}, undefined).input).to.equal('42');
    expect(noteToolOutput(record, new ToolMessage({ content: 'got 2', tool_call_id: 'call_1', name: 'adder' }))).to.equal(undefined);
    expect([record.output, record.tool?.callId]).to.deep.equal(['got 2', 'call_1']);
    const failed = toolRecord({ name: 'broken', description: 'fails' }, {}, undefined, 'call_2', [], {}, undefined);
    expect(failed.tool).to.deep.equal({ name: 'broken', description: 'fails', callId: 'call_2' });
    expect(noteToolOutput(failed, new ToolMessage({ content: 'Error: boom', tool_call_id: 'call_2', status: 'error' }))).to.equal('Error: boom');
    const plain = toolRecord({}, 'q', 'search', undefined, [], {}, undefined);
    noteToolOutput(plain, { hits: 2 });
    expect(plain.output).to.deep.equal({ hits: 2 });
  });

  it('retrievers: the query, and exactly the documents returned with their ids, metadata and scores', () => {
    const record = retrieverRecord({ lc: 1, id: ['x', 'VectorStoreRetriever'] }, 'cats', undefined, [], {}, undefined);
    expect([record.kind, record.name, record.input]).to.deep.equal(['RETRIEVER', 'VectorStoreRetriever', 'cats']);
    const documents = documentsOf([
      new Document({ id: 'd1', pageContent: 'one', metadata: { relevance_score: 0.5, src: 'a' } }),
      new Document({ pageContent: 'two', metadata: {} }),
      JSON.parse(JSON.stringify(new Document({ id: 'd3', pageContent: 'three', metadata: { score: 1 } }))),
    ]);
    expect(documents).to.deep.equal([
      { id: 'd1', content: 'one', metadata: { relevance_score: 0.5, src: 'a' }, score: 0.5 },
      { content: 'two' },
      { id: 'd3', content: 'three', metadata: { score: 1 }, score: 1 },
    ]);
  });

  it('values: LangChain coercion unwrapped, messages as role and content, prompt values and documents readable', () => {
    expect(runValue({ input: 'hi' }, 'input')).to.equal('hi');
    expect(runValue({ output: 3 }, 'output')).to.equal(3);
    expect(runValue({ input: 'a', other: 1 }, 'input')).to.deep.equal({ input: 'a', other: 1 });
    expect(runValue({ messages: [new HumanMessage('hi'), new AIMessage({ content: '', tool_calls: [{ id: 'c1', name: 'f', args: { a: 1 } }] })] }, 'input')).to.deep.equal({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'f', arguments: '{"a":1}' }] },
      ],
    });
    expect(runValue(new Document({ pageContent: 'p', metadata: { a: 1 } }), 'output')).to.deep.equal({ pageContent: 'p', metadata: { a: 1 } });
  });

  it('session, user, metadata and tags: the app\'s, not the framework\'s', () => {
    expect(identityOf({ session_id: 's', thread_id: 't', user_id: 'u' })).to.deep.equal({ sessionId: 's', userId: 'u' });
    expect(identityOf({ thread_id: 7 })).to.deep.equal({ sessionId: '7', userId: undefined });
    expect(identityOf({ configurable: { thread_id: 't' } })).to.deep.equal({ sessionId: 't', userId: undefined });
    expect(appMetadata({ ls_provider: 'openai', versions: {}, langgraph_node: 'a', __pregel_task_id: 'x', team: 'y' })).to.deep.equal({ team: 'y' });
    expect(appMetadata({ ls_provider: 'openai' })).to.equal(undefined);
    expect(appTags(['seq:step:1', 'graph:step:2', 'langsmith:hidden', 'prod'])).to.deep.equal(['prod']);
    expect(appTags(['seq:step:1'])).to.equal(undefined);
  });

  it('hidden chains: tagged langsmith:hidden, unless a graph (AGENT)', () => {
    const hidden = ['graph:step:0', 'langsmith:hidden'];
    expect(isHiddenChain({ lc: 1, id: ['langgraph', 'ChannelWrite'] }, hidden, graphMetadata('__start__'), undefined)).to.equal(true);
    expect(isHiddenChain({ lc: 1, id: ['x', 'RunnableLambda'] }, ['langsmith:hidden'], {}, 'prompt')).to.equal(true);
    expect(isHiddenChain({ lc: 1, id: ['x', 'RunnableLambda'] }, ['graph:step:1', 'langsmith:other'], {}, undefined)).to.equal(false);
    expect(isHiddenChain({ lc: 1, id: ['x', 'RunnableLambda'] }, 'langsmith:hidden', {}, undefined)).to.equal(false);
    expect(isHiddenChain({ lc: 1, id: ['langgraph', 'CompiledStateGraph'] }, hidden, {}, undefined)).to.equal(false);
  });
});
