import { expect } from 'chai';
import { DEFAULT_CONVENTIONS } from '../../lib/config/semconv';
import { resolveTraceConfig } from '../../lib/masking/trace-config';
import { renderRunRecord } from '../../lib/semconv/render-run';
import { agent, BOTH, chain, prompt, R, retriever, run, tool } from './run-records';

describe('renderRunRecord', () => {
  const config = resolveTraceConfig({}, {});

  it('CHAIN: kind, graph node, session and user first, then tags and metadata, then output and input (in that order)', () => {
    const a = renderRunRecord(chain(), config, DEFAULT_CONVENTIONS);
    expect(Object.entries(a)).to.deep.equal([
      ['openinference.span.kind', 'CHAIN'], ['graph.node.id', 'run-2'], ['graph.node.name', 'agent'], ['graph.node.parent_id', 'run-1'],
      ['session.id', 'thread-7'], ['user.id', 'user-3'], ['tag.tags', ['seq:step:1']], ['metadata', '{"langgraph_step":1}'],
      ['output.value', 'four'], ['output.mime_type', 'text/plain'], ['input.value', '{"question":"What is 2+2?"}'],
      ['input.mime_type', 'application/json'],
    ]);
  });

  it('TOOL: tool name, call id, description, arguments and result', () => {
    expect(renderRunRecord(tool(), config, DEFAULT_CONVENTIONS)).to.deep.equal({
      'openinference.span.kind': 'TOOL', 'tool.name': 'calculator', 'tool_call.id': 'call_1', 'session.id': 'thread-7',
      'tool.description': 'Adds two numbers', 'output.value': '4', 'output.mime_type': 'text/plain', 'input.value': '{"a":2,"b":2}',
      'input.mime_type': 'text/plain',
    });
  });

  it('TOOL without tool fields: tool.name is the run name', () => {
    expect(renderRunRecord(run({ kind: 'TOOL', name: 'search' }), config, DEFAULT_CONVENTIONS)).to.deep.equal({
      'openinference.span.kind': 'TOOL', 'tool.name': 'search',
    });
  });

  it('AGENT: agent.name', () => {
    expect(renderRunRecord(agent(), config, DEFAULT_CONVENTIONS)).to.deep.equal({
      'openinference.span.kind': 'AGENT', 'agent.name': 'planner', 'output.value': '{"answer":"Paris"}',
      'output.mime_type': 'application/json', 'input.value': 'plan a trip', 'input.mime_type': 'text/plain',
    });
  });

  it('RETRIEVER: exactly the documents, each with id, content, metadata (JSON) and score when it has them', () => {
    expect(renderRunRecord(retriever(), config, DEFAULT_CONVENTIONS)).to.deep.equal({
      'openinference.span.kind': 'RETRIEVER', 'input.value': 'capital of France', 'input.mime_type': 'text/plain',
      'retrieval.documents.0.document.id': 'd1', 'retrieval.documents.0.document.content': 'Paris is the capital of France.',
      'retrieval.documents.0.document.metadata': '{"source":"wiki"}', 'retrieval.documents.0.document.score': 0.9,
      'retrieval.documents.1.document.content': 'Lyon is in France.', 'retrieval.documents.1.document.score': 0.5,
    });
  });

  it('PROMPT: template, variables (JSON) and version', () => {
    expect(Object.entries(renderRunRecord(prompt(), config, DEFAULT_CONVENTIONS))).to.deep.equal([
      ['openinference.span.kind', 'PROMPT'], ['llm.prompt_template.version', 'v2'], ['input.value', '{"topic":"cats"}'],
      ['input.mime_type', 'application/json'], ['llm.prompt_template.template', 'system: Tell a joke about {topic}'],
      ['llm.prompt_template.variables', '{"topic":"cats"}'],
    ]);
  });

  it('an error: error.type among the essentials, before the content', () => {
    const record = tool();
    record.output = undefined;
    record.error = { type: 'ToolException', message: 'boom' };
    expect(Object.keys(renderRunRecord(record, config, DEFAULT_CONVENTIONS))).to.deep.equal([
      'openinference.span.kind', 'tool.name', 'tool_call.id', 'session.id', 'error.type', 'tool.description', 'input.value', 'input.mime_type',
    ]);
    expect(renderRunRecord(record, config, DEFAULT_CONVENTIONS)['error.type']).to.equal('ToolException');
  });

  describe('masking', () => {
    it('captureContent: false hides input, output, document content and metadata, template and variables, tool arguments; keeps kinds, names, ids, scores, graph nodes, session', () => {
      const off = resolveTraceConfig({}, { INFINIUM_CAPTURE_CONTENT: 'false' });
      expect(renderRunRecord(chain(), off, DEFAULT_CONVENTIONS)).to.deep.equal({
        'openinference.span.kind': 'CHAIN', 'graph.node.id': 'run-2', 'graph.node.name': 'agent', 'graph.node.parent_id': 'run-1',
        'session.id': 'thread-7', 'user.id': 'user-3', 'tag.tags': ['seq:step:1'], 'metadata': '{"langgraph_step":1}', 'output.value': R,
        'input.value': R,
      });
      expect(renderRunRecord(retriever(), off, DEFAULT_CONVENTIONS)).to.deep.equal({
        'openinference.span.kind': 'RETRIEVER', 'input.value': R, 'retrieval.documents.0.document.id': 'd1',
        'retrieval.documents.0.document.content': R, 'retrieval.documents.0.document.metadata': R,
        'retrieval.documents.0.document.score': 0.9, 'retrieval.documents.1.document.content': R,
        'retrieval.documents.1.document.score': 0.5,
      });
      expect(renderRunRecord(prompt(), off, DEFAULT_CONVENTIONS)).to.deep.equal({
        'openinference.span.kind': 'PROMPT', 'llm.prompt_template.version': 'v2', 'input.value': R, 'llm.prompt_template.template': R,
        'llm.prompt_template.variables': R,
      });
      expect(renderRunRecord(tool(), off, BOTH)).to.deep.equal({
        'openinference.span.kind': 'TOOL', 'tool.name': 'calculator', 'tool_call.id': 'call_1', 'session.id': 'thread-7',
        'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'calculator', 'gen_ai.tool.call.id': 'call_1',
        'gen_ai.tool.type': 'function', 'gen_ai.conversation.id': 'thread-7', 'tool.description': R, 'output.value': R, 'input.value': R,
        'gen_ai.tool.description': R, 'gen_ai.tool.call.arguments': R, 'gen_ai.tool.call.result': R,
      });
    });

    it('OPENINFERENCE_HIDE_INPUTS: input, template, tool description and arguments hidden; output kept', () => {
      const hidden = resolveTraceConfig({}, { OPENINFERENCE_HIDE_INPUTS: 'true' });
      expect(renderRunRecord(tool(), hidden, BOTH)).to.deep.equal({
        'openinference.span.kind': 'TOOL', 'tool.name': 'calculator', 'tool_call.id': 'call_1', 'session.id': 'thread-7',
        'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'calculator', 'gen_ai.tool.call.id': 'call_1',
        'gen_ai.tool.type': 'function', 'gen_ai.conversation.id': 'thread-7', 'output.value': '4', 'output.mime_type': 'text/plain',
        'input.value': R, 'gen_ai.tool.call.arguments': R, 'gen_ai.tool.call.result': '4',
      });
      expect(renderRunRecord(prompt(), hidden, DEFAULT_CONVENTIONS)).to.deep.equal({
        'openinference.span.kind': 'PROMPT', 'llm.prompt_template.version': 'v2', 'input.value': R, 'llm.prompt_template.template': R,
        'llm.prompt_template.variables': R,
      });
    });

    it('OPENINFERENCE_HIDE_OUTPUTS: output and documents content hidden; input, ids and scores kept', () => {
      const hidden = resolveTraceConfig({}, { OPENINFERENCE_HIDE_OUTPUTS: 'true' });
      expect(renderRunRecord(agent(), hidden, DEFAULT_CONVENTIONS)).to.deep.equal({
        'openinference.span.kind': 'AGENT', 'agent.name': 'planner', 'output.value': R, 'input.value': 'plan a trip',
        'input.mime_type': 'text/plain',
      });
      expect(renderRunRecord(retriever(), hidden, BOTH)).to.deep.equal({
        'openinference.span.kind': 'RETRIEVER', 'gen_ai.operation.name': 'retrieval', 'input.value': 'capital of France',
        'input.mime_type': 'text/plain', 'gen_ai.retrieval.query.text': 'capital of France', 'gen_ai.retrieval.documents': R,
        'retrieval.documents.0.document.id': 'd1', 'retrieval.documents.0.document.content': R,
        'retrieval.documents.0.document.metadata': R, 'retrieval.documents.0.document.score': 0.9,
        'retrieval.documents.1.document.content': R, 'retrieval.documents.1.document.score': 0.5,
      });
    });
  });

  describe('bounds', () => {
    it('long text is capped with the marker; long JSON stays valid JSON within the cap', () => {
      const capped = resolveTraceConfig({ maxAttributeLength: 200 }, {});
      const record = run({ kind: 'CHAIN', name: 'chain', input: 'x'.repeat(1000), output: { text: 'y'.repeat(1000) } });
      const a = renderRunRecord(record, capped, DEFAULT_CONVENTIONS);
      expect(a['input.value']).to.equal('x'.repeat(200 - '…[truncated: 1000 chars]'.length) + '…[truncated: 1000 chars]');
      expect(a['input.mime_type']).to.equal('text/plain');
      const output = a['output.value'] as string;
      expect(output.length).to.be.at.most(200);
      expect(JSON.parse(output).text).to.match(/^y+…\[truncated: 1000 chars\]$/);
      expect(a['output.mime_type']).to.equal('application/json');
    });

    it('documents: as many whole documents as the attribute count limit takes', () => {
      const limited = resolveTraceConfig({}, { OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '10' });
      const documents = Array.from({ length: 6 }, (_, i) => ({ id: `d${i}`, content: `text ${i}` }));
      const a = renderRunRecord(run({ kind: 'RETRIEVER', name: 'r', documents }), limited, DEFAULT_CONVENTIONS);
      // The kind, then 4 documents of 2 keys: a fifth would make 11.
      expect(Object.keys(a)).to.have.length(9);
      expect(a['retrieval.documents.3.document.content']).to.equal('text 3');
      expect(a['retrieval.documents.4.document.id']).to.equal(undefined);
    });

    it('a value that cannot be serialised (a cycle) is left out, the rest is written', () => {
      const input: Record<string, unknown> = {};
      input.self = input;
      const a = renderRunRecord(run({ kind: 'CHAIN', name: 'c', input, output: 'ok' }), config, DEFAULT_CONVENTIONS);
      expect(a).to.deep.equal({ 'openinference.span.kind': 'CHAIN', 'output.value': 'ok', 'output.mime_type': 'text/plain' });
    });
  });
});
