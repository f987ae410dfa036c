import { expect } from 'chai';
import path from 'node:path';
import { FakeLlmServer, startFakeLlmServer } from '../../../helpers/fake-llm-server';
import { createTracing, useInstrumentation } from '../../../helpers/tracing';
import { OtlpReceiver, startOtlpReceiver } from '../../../register/otlp-receiver';
import { NodeRun, runNode } from '../../../register/run-node';
import { answerTurn } from './fixtures/agent-turn';
import {
  CLIENT_INFO, DELIVERY_BUDGET_MS, expectChildOf, FIXTURES, fromReadable, loadMcp, only, PROTOCOL_VERSION, requestSpans, serverSpansOf,
  useW3CPropagation, withoutRollUp,
} from './fixtures/mcp-e2e';

/**
 * Streamable HTTP across two processes: the server a child under `node --import @infinium/otel/register`
 * (node:http, a stateful session), the client here on fetch. The session id and the trace cross over HTTP;
 * the server's tool handler makes its own OpenAI call under the server span.
 */
describe('MCP over Streamable HTTP, server in a second process under the register entry', function () {
  this.timeout(60_000);
  const tracing = createTracing();
  useW3CPropagation();
  let llm: FakeLlmServer;
  let receiver: OtlpReceiver;
  let run: NodeRun;
  let port = 0;

  before(async () => {
    useInstrumentation(tracing);
    llm = await startFakeLlmServer();
    // Only the server's own call comes: the summary.
    answerTurn(llm, { question: '', toolInput: '', summary: 'A short summary.', finalAnswer: '' });
    receiver = await startOtlpReceiver();
    run = runNode(['--import', '@infinium/otel/register', path.join(FIXTURES, 'http-server.mjs')], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
      OTEL_BSP_SCHEDULE_DELAY: '20',
      INFINIUM_SHUTDOWN_TIMEOUT_MS: DELIVERY_BUDGET_MS,
      FAKE_LLM_ORIGIN: llm.origin,
    });
    let stdout = '';
    run.child.stdout!.on('data', (chunk) => (stdout += chunk));
    await run.waitForStdout('listening');
    port = Number(/listening (\d+)/.exec(stdout)![1]);
  });
  after(async () => {
    run?.child.kill('SIGTERM');
    await run?.exited;
    await receiver?.stop();
    await llm?.stop();
  });

  it('tools/call: one trace across HTTP, the session id on both sides, the handler\'s LLM call under the server span', async () => {
    const mcp = loadMcp();
    const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`));
    const client = new mcp.Client(CLIENT_INFO);
    let result: unknown;
    await tracing.inParent('agent', async () => {
      await client.connect(transport);
      result = await client.callTool({ name: 'summarize', arguments: { text: 'a long text' } });
    });
    const sessionId: string = transport.sessionId;
    await client.close();
    expect(result).to.deep.equal({ content: [{ type: 'text', text: 'A short summary.' }] });
    const here = (await tracing.spans()).map((s) => fromReadable(s));
    const agent = here.find((s) => s.name === 'agent')!;
    // initialize, tools/call and the handler's chat span.
    const there = await serverSpansOf(() => receiver.spans, agent.traceId, 3);
    const pairs = (['initialize', 'tools/call'] as const).map((m) => [only(requestSpans(here), m, 'CLIENT'), only(requestSpans(there), m, 'SERVER')] as const);
    for (const [c, s] of pairs) {
      expect(c.parentSpanId).to.equal(agent.spanId);
      expectChildOf(s, c);
    }
    const [c, s] = pairs[1];
    const shared = {
      'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'summarize', 'gen_ai.operation.name': 'execute_tool', 'jsonrpc.request.id': '1',
      'mcp.session.id': sessionId, 'mcp.protocol.version': PROTOCOL_VERSION, 'network.transport': 'tcp', 'network.protocol.name': 'http',
    };
    expect(c.attributes).to.include({ ...shared, 'server.address': '127.0.0.1', 'server.port': port });
    expect(withoutRollUp(s.attributes)).to.include(shared);
    expect(s.attributes['server.address']).to.equal(undefined);
    const chat = there.filter((span) => span.name === 'chat gpt-4o-mini');
    expect(chat.map((span) => span.parentSpanId)).to.deep.equal([s.spanId]);
  });

  it('the server process wrote nothing on stderr', () => {
    expect(run.stderr()).to.equal('');
  });
});
