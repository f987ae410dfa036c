import { expect } from 'chai';
import * as Incubating from '@opentelemetry/semantic-conventions/incubating';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { classifyKey } from '../../../../lib/masking/content-keys';
import { MCP_EXECUTE_TOOL, MCP_KEYS, MCP_TOOL_ERROR } from '../../../../lib/semconv/render-mcp';
import { connectPair, mcpSpans, sidesOf, useMcpHarness, weatherServer } from './harness';

/** What each side shows under the masking settings and the conventions chosen. */
describe('MCP in process: masking and conventions', () => {
  const harness = useMcpHarness();
  const { tracing } = harness;

  /** Words of the tests' content: arguments, results, resource text, prompt messages, tool descriptions. */
  const CONTENT = ['Paris', 'Sunny', 'Atlantis', 'umbrella', 'Ada', 'Say hello', 'weather in a city'];

  async function session(): Promise<ReadableSpan[]> {
    await tracing.inParent('agent', async () => {
      const pair = await connectPair(weatherServer());
      await pair.client.listTools();
      await pair.client.callTool({ name: 'get_weather', arguments: { city: 'Paris' } });
      await pair.client.callTool({ name: 'get_weather', arguments: { city: 'Atlantis' } });
      await pair.client.readResource({ uri: 'docs://guide' });
      await pair.client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
      await pair.close();
    });
    return tracing.spans();
  }

  function leaks(spans: ReadableSpan[]): string[] {
    const found: string[] = [];
    for (const span of mcpSpans(spans)) {
      const text = JSON.stringify([span.name, span.attributes, span.events, span.status, span.links]);
      for (const word of CONTENT) if (text.includes(word)) found.push(`${span.name}: ${word}`);
    }
    return found;
  }

  it('shows the content by default (the check below is not vacuous)', async () => {
    expect(leaks(await session())).to.include.members([
      'tools/list: weather in a city', 'tools/call get_weather: Paris', 'tools/call get_weather: Sunny', 'tools/call get_weather: Atlantis',
      'resources/read: umbrella', 'prompts/get greet: Ada', 'prompts/get greet: Say hello',
    ]);
  });

  it('INFINIUM_CAPTURE_CONTENT=false: no argument, result, resource content or prompt message on either side; names stay', async () => {
    harness.configure({ captureContent: false });
    const spans = await session();
    expect(leaks(spans)).to.deep.equal([]);
    const { client, server } = sidesOf(spans.filter((s) => s.attributes['jsonrpc.request.id'] === '2'), 'tools/call get_weather');
    for (const span of [client, server]) {
      expect(span.attributes['gen_ai.tool.name']).to.equal('get_weather');
      expect(span.attributes['tool.name']).to.equal('get_weather');
      expect(span.attributes['input.value']).to.equal('__REDACTED__');
    }
    const prompt = sidesOf(spans, 'prompts/get greet');
    for (const span of [prompt.client, prompt.server]) {
      expect(span.attributes['gen_ai.prompt.name']).to.equal('greet');
      expect(span.attributes['output.value']).to.equal('__REDACTED__');
      expect(span.attributes['llm.prompt_template.variables']).to.equal('__REDACTED__');
    }
    const read = sidesOf(spans, 'resources/read');
    for (const span of [read.client, read.server]) {
      expect(span.attributes['mcp.resource.uri']).to.equal('docs://guide');
      expect(span.attributes['retrieval.documents.0.document.content']).to.equal('__REDACTED__');
    }
  });

  it('OPENINFERENCE_HIDE_INPUTS and HIDE_OUTPUTS hide arguments, results, resource contents and prompt messages on both sides', async () => {
    harness.configure({ hideInputs: true, hideOutputs: true });
    const all = await session();
    expect(leaks(all)).to.deep.equal([]);
    const spans = mcpSpans(all).filter((s) => s.name === 'tools/call get_weather');
    expect(spans).to.have.length(4);
    for (const span of spans) {
      expect(span.attributes['input.value']).to.equal('__REDACTED__');
      expect(span.attributes['output.value']).to.equal('__REDACTED__');
    }
  });

  it('capture off with both conventions on: nothing leaks through the GenAI keys either', async () => {
    harness.configure({ captureContent: false, semconv: 'gen_ai,openinference' });
    const spans = await session();
    expect(leaks(spans)).to.deep.equal([]);
    const call = sidesOf(spans.filter((s) => s.attributes['jsonrpc.request.id'] === '2'), 'tools/call get_weather');
    expect([call.client, call.server].map((s) => s.attributes['gen_ai.tool.call.arguments'])).to.deep.equal(['__REDACTED__', '__REDACTED__']);
  });

  it("capture off keeps a JSON-RPC error's message (error text is not content, as on every span: capped, secrets redacted)", async () => {
    harness.configure({ captureContent: false });
    await tracing.inParent('agent', async () => {
      const pair = await connectPair(weatherServer());
      await pair.client.getPrompt({ name: 'nope' }).catch(() => undefined);
      await pair.close();
    });
    const { client, server } = sidesOf(await tracing.spans(), 'prompts/get nope');
    expect([client, server].map((s) => s.status.message)).to.deep.equal(['MCP error -32602: Prompt nope not found', 'MCP error -32602: Prompt nope not found']);
  });

  it('with the GenAI conventions: gen_ai.tool.call.arguments and result on tools/call, no GenAI operation elsewhere', async () => {
    harness.configure({ semconv: 'gen_ai' });
    const spans = await session();
    const { client, server } = sidesOf(spans.filter((s) => s.attributes['gen_ai.tool.call.arguments'] === '{"city":"Paris"}'), 'tools/call get_weather');
    for (const span of [client, server]) {
      expect(span.attributes['gen_ai.operation.name']).to.equal('execute_tool');
      expect(span.attributes['gen_ai.tool.call.result']).to.equal('{"content":[{"type":"text","text":"Sunny in Paris"}]}');
      expect(span.attributes['openinference.span.kind']).to.equal(undefined);
    }
    // A failed tool has arguments but no result (the conventions record the result of a success only).
    const failed = mcpSpans(spans).filter((s) => s.attributes['error.type'] === MCP_TOOL_ERROR);
    expect(failed.map((s) => [s.attributes['gen_ai.tool.call.arguments'], s.attributes['gen_ai.tool.call.result']])).to.deep.equal([
      ['{"city":"Atlantis"}', undefined],
      ['{"city":"Atlantis"}', undefined],
    ]);
    const read = sidesOf(spans, 'resources/read');
    expect([read.client, read.server].map((s) => s.attributes['gen_ai.operation.name'])).to.deep.equal([undefined, undefined]);
  });

  it('the MCP keys are the incubating conventions\' keys, and none of them is content', () => {
    const incubating = Incubating as unknown as Record<string, unknown>;
    expect([
      MCP_KEYS.METHOD_NAME, MCP_KEYS.SESSION_ID, MCP_KEYS.PROTOCOL_VERSION, MCP_KEYS.RESOURCE_URI, MCP_KEYS.JSONRPC_REQUEST_ID,
      MCP_KEYS.RPC_RESPONSE_STATUS_CODE, MCP_KEYS.GEN_AI_OPERATION_NAME, MCP_KEYS.GEN_AI_TOOL_NAME, MCP_KEYS.GEN_AI_PROMPT_NAME, MCP_EXECUTE_TOOL,
    ]).to.deep.equal([
      incubating.ATTR_MCP_METHOD_NAME, incubating.ATTR_MCP_SESSION_ID, incubating.ATTR_MCP_PROTOCOL_VERSION, incubating.ATTR_MCP_RESOURCE_URI,
      incubating.ATTR_JSONRPC_REQUEST_ID, incubating.ATTR_RPC_RESPONSE_STATUS_CODE, incubating.ATTR_GEN_AI_OPERATION_NAME,
      incubating.ATTR_GEN_AI_TOOL_NAME, incubating.ATTR_GEN_AI_PROMPT_NAME, incubating.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
    ]);
    const notContent = Object.values(MCP_KEYS).map((key) => [key, classifyKey(key)]).filter(([, category]) => category !== undefined && category !== 'notContent');
    expect(notContent).to.deep.equal([]);
  });
});
