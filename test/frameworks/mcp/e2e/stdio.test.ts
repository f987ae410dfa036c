import { expect } from 'chai';
import { context, propagation, SpanStatusCode } from '@opentelemetry/api';
import { createTracing, useInstrumentation } from '../../../helpers/tracing';
import { OtlpReceiver, startOtlpReceiver } from '../../../register/otlp-receiver';
import {
  connectStdio, expectChildOf, fromReadable, only, PROTOCOL_VERSION, requestSpans, serverSpansOf, SpanView, StdioPair, useW3CPropagation, withoutRollUp,
} from './fixtures/mcp-e2e';

/**
 * Issue 23 across processes: the client in this process (instrumented in memory), the server a second
 * process started with `node --import`/`--require @infinium/otel/register` on the real SDK's stdio
 * transport, exporting OTLP to a receiver here. Every request is one CLIENT span here and one SERVER span
 * there, in one trace, the server's parent being the client's span.
 */
const SERVERS = [
  { title: 'ESM server (--import)', fixture: 'stdio-server.mjs' },
  { title: 'CommonJS server (--require)', fixture: 'stdio-server.cjs' },
] as const;

describe('MCP over stdio, server in a second process under the register entry', function () {
  this.timeout(60_000);
  const tracing = createTracing();
  useW3CPropagation();
  before(() => useInstrumentation(tracing));

  for (const { title, fixture } of SERVERS) {
    describe(title, () => {
      let receiver: OtlpReceiver;
      let pair: StdioPair;
      let connectTrace: SpanView[];

      before(async () => {
        receiver = await startOtlpReceiver();
        tracing.reset();
        pair = await tracing.inParent('connect', () =>
          connectStdio(fixture, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin, OTEL_SERVICE_NAME: 'mcp-e2e-server' }),
        );
        connectTrace = (await tracing.spans()).map((s) => fromReadable(s));
      });
      after(async () => {
        await pair?.client.close();
        await receiver?.stop();
      });
      beforeEach(() => tracing.reset());

      /** Runs `fn` under a root span `agent`; returns this process's spans and the server's spans of that trace. */
      async function turn(fn: () => Promise<unknown>, serverSpanCount: number): Promise<{ agent: SpanView; client: SpanView[]; server: SpanView[] }> {
        await tracing.inParent('agent', fn);
        const client = (await tracing.spans()).map((s) => fromReadable(s));
        const agent = client.find((s) => s.name === 'agent')!;
        const server = await serverSpansOf(() => receiver.spans, agent.traceId, serverSpanCount);
        return { agent, client, server };
      }

      it('initialize: a CLIENT span under the app span and a SERVER span under it, across the processes', async () => {
        const root = connectTrace.find((s) => s.name === 'connect')!;
        const client = only(requestSpans(connectTrace), 'initialize', 'CLIENT');
        expect(client.name).to.equal('initialize');
        expect(client.parentSpanId).to.equal(root.spanId);
        expect(client.attributes['jsonrpc.request.id']).to.equal('0');
        expect(client.attributes['network.transport']).to.equal('pipe');
        expect(client.attributes['openinference.span.kind']).to.equal('CHAIN');
        const server = only(requestSpans(await serverSpansOf(() => receiver.spans, root.traceId, 1)), 'initialize', 'SERVER');
        expect(server.name).to.equal('initialize');
        expectChildOf(server, client);
        expect(server.attributes['jsonrpc.request.id']).to.equal('0');
        expect(server.attributes['network.transport']).to.equal('pipe');
        expect(server.attributes['mcp.protocol.version']).to.equal(PROTOCOL_VERSION);
        expect(server.resource['service.name']).to.equal('mcp-e2e-server');
      });

      it('tools/call: one trace, exact names, kinds, attributes; the app\'s params object untouched', async () => {
        const params = { name: 'add', arguments: { a: 2, b: 3 } };
        const before = JSON.stringify(params);
        let result: unknown;
        const { agent, client, server } = await turn(async () => (result = await pair.client.callTool(params)), 1);
        expect(result).to.deep.equal({ content: [{ type: 'text', text: '5' }] });
        // The context went in a copy of the request: the app's own object is as it was.
        expect(JSON.stringify(params)).to.equal(before);

        const c = only(requestSpans(client), 'tools/call', 'CLIENT');
        const s = only(requestSpans(server), 'tools/call', 'SERVER');
        expect(requestSpans(client)).to.have.length(1);
        expect(requestSpans(server)).to.have.length(1);
        expect(c.parentSpanId).to.equal(agent.spanId);
        expectChildOf(s, c);
        for (const span of [c, s]) {
          expect(span.name).to.equal('tools/call add');
          expect(span.scope).to.equal('@infinium/otel');
          // Answered: UNSET, as the MCP conventions' examples show it.
          expect(span.status.code).to.equal(SpanStatusCode.UNSET);
          const a = span.attributes;
          expect(a['mcp.method.name']).to.equal('tools/call');
          expect(a['gen_ai.tool.name']).to.equal('add');
          expect(a['gen_ai.operation.name']).to.equal('execute_tool');
          expect(a['jsonrpc.request.id']).to.equal('1');
          expect(a['mcp.protocol.version']).to.equal(PROTOCOL_VERSION);
          expect(a['network.transport']).to.equal('pipe');
          expect(a['mcp.session.id']).to.equal(undefined); // stdio has no session id
          expect(a['error.type']).to.equal(undefined);
          expect(a['openinference.span.kind']).to.equal('TOOL');
          expect(a['tool.name']).to.equal('add');
          expect(JSON.parse(a['input.value'] as string)).to.deep.equal({ a: 2, b: 3 });
          expect(a['input.mime_type']).to.equal('application/json');
          expect(JSON.parse(a['output.value'] as string)).to.deep.equal({ content: [{ type: 'text', text: '5' }] });
          expect(a['output.mime_type']).to.equal('application/json');
        }
        // Exactly these keys (the server's process-root roll-up, infinium.*, aside).
        const expected = {
          'openinference.span.kind': 'TOOL', 'tool.name': 'add', 'mcp.method.name': 'tools/call', 'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'add', 'network.transport': 'pipe', 'jsonrpc.request.id': '1', 'mcp.protocol.version': PROTOCOL_VERSION,
          'input.value': '{"a":2,"b":3}', 'input.mime_type': 'application/json',
          'output.value': '{"content":[{"type":"text","text":"5"}]}', 'output.mime_type': 'application/json',
        };
        expect(c.attributes).to.deep.equal(expected);
        expect(withoutRollUp(s.attributes)).to.deep.equal(expected);
        // Nobody has listed the tools yet: no description on either side.
        expect([c.attributes['tool.description'], s.attributes['tool.description']]).to.deep.equal([undefined, undefined]);
      });

      it('the handler runs inside the server span, with the W3C context and baggage that came in _meta', async () => {
        const bag = propagation.createBaggage({ 'user.id': { value: 'u-42' } });
        let text = '';
        const { client, server } = await turn(
          () => context.with(propagation.setBaggage(context.active(), bag), async () => {
            const res = (await pair.client.callTool({ name: 'context' })) as { content: Array<{ text: string }> };
            text = res.content[0].text;
          }),
          1,
        );
        const c = only(requestSpans(client), 'tools/call', 'CLIENT');
        const s = only(requestSpans(server), 'tools/call', 'SERVER');
        const seen = JSON.parse(text);
        expect(seen.meta.traceparent).to.equal(`00-${c.traceId}-${c.spanId}-01`);
        expect(seen.meta.baggage).to.equal('user.id=u-42');
        expect(seen.activeSpanId).to.equal(s.spanId);
        expect(seen.baggage).to.deep.equal({ 'user.id': 'u-42' });
      });

      it('tools/list, resources/read, prompts/get: CHAIN, RETRIEVER, PROMPT, each one span per side', async () => {
        const { agent, client, server } = await turn(async () => {
          await pair.client.listTools();
          await pair.client.readResource({ uri: 'notes://today' });
          await pair.client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
          await pair.client.callTool({ name: 'add', arguments: { a: 1, b: 1 } });
        }, 4);
        const names = ['tools/list', 'resources/read', 'prompts/get greet', 'tools/call add'];
        expect(requestSpans(client).map((s) => s.name)).to.have.members(names);
        expect(requestSpans(server).map((s) => s.name)).to.have.members(names);
        // Once the tools were listed, both sides know the tool's description.
        for (const span of [only(requestSpans(client), 'tools/call', 'CLIENT'), only(requestSpans(server), 'tools/call', 'SERVER')]) {
          expect(span.attributes['tool.description'], span.side).to.equal('Adds two numbers');
        }
        const pairs = (['tools/list', 'resources/read', 'prompts/get'] as const).map((m) => [only(requestSpans(client), m, 'CLIENT'), only(requestSpans(server), m, 'SERVER')] as const);
        for (const [c, s] of pairs) {
          expect(c.parentSpanId).to.equal(agent.spanId);
          expectChildOf(s, c);
        }
        const [[list, listS], [read, readS], [prompt, promptS]] = pairs;
        for (const span of [list, listS]) expect(span.attributes['openinference.span.kind']).to.equal('CHAIN');
        for (const span of [read, readS]) {
          expect(span.attributes['openinference.span.kind']).to.equal('RETRIEVER');
          expect(span.attributes['mcp.resource.uri']).to.equal('notes://today');
          expect(span.attributes['retrieval.documents.0.document.content']).to.equal('Buy milk');
          expect(span.attributes['retrieval.documents.0.document.id']).to.equal('notes://today');
        }
        for (const span of [prompt, promptS]) {
          expect(span.attributes['openinference.span.kind']).to.equal('PROMPT');
          expect(span.attributes['gen_ai.prompt.name']).to.equal('greet');
          expect(JSON.parse(span.attributes['llm.prompt_template.variables'] as string)).to.deep.equal({ name: 'Ada' });
          expect(span.attributes['output.value']).to.include('Say hello to Ada');
        }
        expect([list, read, prompt].map((s) => s.attributes['jsonrpc.request.id'])).to.deep.equal(
          [listS, readS, promptS].map((s) => s.attributes['jsonrpc.request.id']),
        );
      });

      it('errors: an isError tool result is tool_error on both sides; a JSON-RPC error carries its code and message', async () => {
        let toolResult: unknown;
        let rpcError: any;
        const { client, server } = await turn(async () => {
          toolResult = await pair.client.callTool({ name: 'fail', arguments: { why: 'no reason' } });
          rpcError = await pair.client.getPrompt({ name: 'missing' }).then(() => undefined, (err: unknown) => err);
        }, 2);
        // The app sees what it sees without us.
        expect(toolResult).to.deep.equal({ isError: true, content: [{ type: 'text', text: 'the tool failed: no reason' }] });
        expect(rpcError?.code).to.equal(-32602);
        const tool = [only(requestSpans(client), 'tools/call', 'CLIENT'), only(requestSpans(server), 'tools/call', 'SERVER')];
        expectChildOf(tool[1], tool[0]);
        for (const span of tool) {
          expect(span.name).to.equal('tools/call fail');
          expect(span.status.code).to.equal(SpanStatusCode.ERROR);
          expect(span.attributes['error.type']).to.equal('tool_error');
        }
        const prompt = [only(requestSpans(client), 'prompts/get', 'CLIENT'), only(requestSpans(server), 'prompts/get', 'SERVER')];
        expectChildOf(prompt[1], prompt[0]);
        for (const span of prompt) {
          expect(span.name).to.equal('prompts/get missing');
          expect(span.status.code).to.equal(SpanStatusCode.ERROR);
          expect(span.attributes['error.type']).to.equal('-32602');
          expect(span.attributes['rpc.response.status_code']).to.equal('-32602');
          // The JSON-RPC error's message, as the server sent it (the app's McpError prefixes it once more).
          expect(span.status.message).to.equal('MCP error -32602: Prompt missing not found');
        }
      });

      it('concurrent calls over one pipe: each SERVER span under its own CLIENT span, same id, same arguments', async () => {
        const { agent, client, server } = await turn(
          () => Promise.all([1, 2, 3].map((i) => pair.client.callTool({ name: 'add', arguments: { a: i, b: 10 * i } }))),
          3,
        );
        expect(requestSpans(client)).to.have.length(3);
        expect(requestSpans(server)).to.have.length(3);
        for (const c of requestSpans(client)) {
          expect(c.parentSpanId).to.equal(agent.spanId);
          const children = requestSpans(server).filter((s) => s.parentSpanId === c.spanId);
          expect(children, `server spans under ${c.attributes['input.value']}`).to.have.length(1);
          expect(children[0].attributes['jsonrpc.request.id']).to.equal(c.attributes['jsonrpc.request.id']);
          expect(children[0].attributes['input.value']).to.equal(c.attributes['input.value']);
          expect(children[0].attributes['output.value']).to.equal(c.attributes['output.value']);
        }
      });

      // Last: whatever the requests above did, the server's stderr (the app's own channel) got nothing from us.
      it('the server process wrote nothing on stderr', () => {
        expect(pair.stderr()).to.equal('');
      });
    });
  }
});
