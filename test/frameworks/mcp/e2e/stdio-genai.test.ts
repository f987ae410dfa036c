import { expect } from 'chai';
import { createTracing, useInstrumentation } from '../../../helpers/tracing';
import { OtlpReceiver, startOtlpReceiver } from '../../../register/otlp-receiver';
import {
  connectStdio, expectChildOf, fromReadable, only, PROTOCOL_VERSION, requestSpans, serverSpansOf, StdioPair, useW3CPropagation, withoutRollUp,
} from './fixtures/mcp-e2e';

/**
 * The GenAI conventions chosen in both processes (the server by OTEL_SEMCONV_STABILITY_OPT_IN, the client by
 * the semconv option): tools/call also carries `gen_ai.tool.call.arguments` and `gen_ai.tool.call.result`,
 * the same on both sides of the stdio pipe; with capture off neither carries the content.
 */
describe('MCP over stdio with the GenAI conventions on in both processes', function () {
  this.timeout(60_000);
  const tracing = createTracing();
  useW3CPropagation();

  for (const capture of [true, false]) {
    describe(capture ? 'content captured' : 'INFINIUM_CAPTURE_CONTENT=false', () => {
      let receiver: OtlpReceiver;
      let pair: StdioPair;
      before(async () => {
        useInstrumentation(tracing).instrumentation.setConfig({ semconv: 'openinference,gen_ai', captureContent: capture });
        receiver = await startOtlpReceiver();
        pair = await connectStdio('stdio-server.cjs', {
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
          OTEL_SEMCONV_STABILITY_OPT_IN: 'gen_ai_latest_experimental',
          INFINIUM_CAPTURE_CONTENT: String(capture),
        });
      });
      after(async () => {
        await pair?.client.close();
        await receiver?.stop();
        useInstrumentation(tracing).instrumentation.setConfig({});
      });

      it('tools/call: the GenAI tool-call keys beside OpenInference, exactly, on both sides', async () => {
        tracing.reset();
        await tracing.inParent('agent', () => pair.client.callTool({ name: 'add', arguments: { a: 2, b: 3 } }));
        const client = only(requestSpans((await tracing.spans()).map((s) => fromReadable(s))), 'tools/call', 'CLIENT');
        const server = only(requestSpans(await serverSpansOf(() => receiver.spans, client.traceId, 1)), 'tools/call', 'SERVER');
        expectChildOf(server, client);
        const content = (text: string) => (capture ? text : '__REDACTED__');
        const expected = {
          'openinference.span.kind': 'TOOL', 'tool.name': 'add', 'mcp.method.name': 'tools/call', 'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'add', 'gen_ai.tool.type': 'function', 'network.transport': 'pipe', 'jsonrpc.request.id': '1',
          'mcp.protocol.version': PROTOCOL_VERSION,
          'input.value': content('{"a":2,"b":3}'),
          'output.value': content('{"content":[{"type":"text","text":"5"}]}'),
          // A hidden value is the redacted marker alone, with no mime type.
          ...(capture ? { 'input.mime_type': 'application/json', 'output.mime_type': 'application/json' } : {}),
          'gen_ai.tool.call.arguments': content('{"a":2,"b":3}'),
          'gen_ai.tool.call.result': content('{"content":[{"type":"text","text":"5"}]}'),
        };
        expect(client.attributes).to.deep.equal(expected);
        expect(withoutRollUp(server.attributes)).to.deep.equal(expected);
      });
    });
  }
});
