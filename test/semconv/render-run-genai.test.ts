import { expect } from 'chai';
import { DEFAULT_CONVENTIONS } from '../../lib/config/semconv';
import { resolveTraceConfig } from '../../lib/masking/trace-config';
import { renderRunRecord, runSpanName, runStartAttributes } from '../../lib/semconv/render-run';
import { agent, BOTH, chain, GEN_AI_ONLY, prompt, retriever, run, tool } from './run-records';

/** The run renderer's GenAI keys (render-run-genai.ts), beside OpenInference or alone, and the span name and start attributes. */
describe('renderRunRecord: GenAI conventions', () => {
  const config = resolveTraceConfig({}, {});

  it('AGENT beside OpenInference: invoke_agent and the agent name among the essentials, before the content', () => {
    expect(Object.entries(renderRunRecord({ ...agent(), sessionId: 's1' }, config, BOTH))).to.deep.equal([
      ['openinference.span.kind', 'AGENT'], ['agent.name', 'planner'], ['session.id', 's1'], ['gen_ai.operation.name', 'invoke_agent'],
      ['gen_ai.agent.name', 'planner'], ['gen_ai.conversation.id', 's1'], ['output.value', '{"answer":"Paris"}'],
      ['output.mime_type', 'application/json'], ['input.value', 'plan a trip'], ['input.mime_type', 'text/plain'],
    ]);
  });

  it('GenAI alone: TOOL gets execute_tool keys, arguments as JSON, no OpenInference key', () => {
    const record = run({ kind: 'TOOL', name: 'weather', input: { city: 'Paris' }, output: { temp: 20 }, tool: { callId: 'c9' } });
    expect(renderRunRecord(record, config, GEN_AI_ONLY)).to.deep.equal({
      'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'weather', 'gen_ai.tool.call.id': 'c9',
      'gen_ai.tool.type': 'function', 'gen_ai.tool.call.arguments': '{"city":"Paris"}', 'gen_ai.tool.call.result': '{"temp":20}',
    });
  });

  it('GenAI alone: a failed tool has error.type and no result', () => {
    const record = { ...tool(), error: { type: 'TypeError' } };
    expect(renderRunRecord(record, config, GEN_AI_ONLY)).to.deep.equal({
      'error.type': 'TypeError', 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'calculator',
      'gen_ai.tool.call.id': 'call_1', 'gen_ai.tool.type': 'function', 'gen_ai.conversation.id': 'thread-7',
      'gen_ai.tool.description': 'Adds two numbers', 'gen_ai.tool.call.arguments': '{"a":2,"b":2}',
    });
  });

  it('GenAI alone: RETRIEVER gets the retrieval operation, the query and the documents\' ids and scores', () => {
    expect(renderRunRecord(retriever(), config, GEN_AI_ONLY)).to.deep.equal({
      'gen_ai.operation.name': 'retrieval', 'gen_ai.retrieval.query.text': 'capital of France',
      'gen_ai.retrieval.documents': '[{"id":"d1","score":0.9},{"score":0.5}]',
    });
  });

  it('GenAI alone: CHAIN and PROMPT get no keys; an error still gets error.type', () => {
    expect(renderRunRecord(chain(), config, GEN_AI_ONLY)).to.deep.equal({});
    expect(renderRunRecord(prompt(), config, GEN_AI_ONLY)).to.deep.equal({});
    expect(renderRunRecord({ ...chain(), error: { type: 'Error' } }, config, GEN_AI_ONLY)).to.deep.equal({ 'error.type': 'Error' });
  });
});

describe('runSpanName', () => {
  it('OpenInference (alone or with GenAI): the run name', () => {
    expect(runSpanName(tool(), DEFAULT_CONVENTIONS)).to.equal('calculator');
    expect(runSpanName(agent(), BOTH)).to.equal('LangGraph');
  });

  it('GenAI alone: invoke_agent {agent}, execute_tool {tool}, the run name otherwise', () => {
    expect(runSpanName(agent(), GEN_AI_ONLY)).to.equal('invoke_agent planner');
    expect(runSpanName(run({ kind: 'AGENT', name: 'AgentExecutor' }), GEN_AI_ONLY)).to.equal('invoke_agent AgentExecutor');
    expect(runSpanName({ ...tool(), name: 'StructuredTool' }, GEN_AI_ONLY)).to.equal('execute_tool calculator');
    expect(runSpanName(retriever(), GEN_AI_ONLY)).to.equal('VectorStoreRetriever');
    expect(runSpanName(chain(), GEN_AI_ONLY)).to.equal('RunnableSequence');
  });
});

describe('runStartAttributes', () => {
  const config = resolveTraceConfig({}, {});

  it('the kind and the names only, in each convention chosen', () => {
    expect(runStartAttributes(chain(), config, DEFAULT_CONVENTIONS)).to.deep.equal({ 'openinference.span.kind': 'CHAIN' });
    expect(runStartAttributes(tool(), config, BOTH)).to.deep.equal({
      'openinference.span.kind': 'TOOL', 'tool.name': 'calculator', 'tool_call.id': 'call_1', 'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'calculator', 'gen_ai.tool.call.id': 'call_1', 'gen_ai.tool.type': 'function',
      'gen_ai.conversation.id': 'thread-7',
    });
    expect(runStartAttributes(agent(), config, GEN_AI_ONLY)).to.deep.equal({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner' });
  });
});
