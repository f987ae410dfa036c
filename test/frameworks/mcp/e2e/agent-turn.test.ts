import { expect } from 'chai';
import type OpenAIType from 'openai';
import { FakeLlmServer, startFakeLlmServer } from '../../../helpers/fake-llm-server';
import { createTracing, useInstrumentation } from '../../../helpers/tracing';
import { OtlpReceiver, startOtlpReceiver } from '../../../register/otlp-receiver';
import { loadOpenAI, openaiClient } from '../../../providers/openai/client';
import { answerTurn, runTurn } from './fixtures/agent-turn';
import {
  connectStdio, expectChildOf, exportedStrings, fromReadable, printTree, serverSpansOf, SpanView, StdioPair, useW3CPropagation,
} from './fixtures/mcp-e2e';

/**
 * The whole agent turn is one trace across two processes: the app's OpenAI call decides to call the MCP
 * tool, the app calls it over stdio, the server's tool handler (a second process under the register entry)
 * makes its own OpenAI call, and the app's last call answers. Then the same turn with
 * INFINIUM_CAPTURE_CONTENT=false in both processes: nothing of the content on any span of either.
 */
const TEXTS = {
  question: 'Summarize the report for me',
  toolInput: 'The quick brown fox jumps over the lazy dog',
  summary: 'A fox jumps over a dog.',
  finalAnswer: 'Here it is: a fox jumps over a dog.',
};
/** Content of the other requests of the capture-off test: a resource's text, a prompt's argument (and so its message), a failed tool's argument (and so its error text). */
const SECRETS = {
  resourceText: 'resource-secret-7f3a',
  promptArgument: 'prompt-secret-91bc',
  toolErrorArgument: 'tool-error-secret-5d20',
};
const TREE_KEYS = ['mcp.method.name', 'gen_ai.tool.name', 'jsonrpc.request.id', 'network.transport', 'openinference.span.kind', 'llm.token_count.total'];

/** `side name: text` for each of `texts` found in any string a span exports (as it is, or JSON-escaped). */
function contentOn(spans: SpanView[], texts: string[]): string[] {
  const found: string[] = [];
  for (const span of spans) {
    const strings = exportedStrings(span);
    for (const text of texts) {
      if (strings.some((s) => s.includes(text) || s.includes(JSON.stringify(text).slice(1, -1)))) found.push(`${span.side} ${span.name}: ${text}`);
    }
  }
  return found;
}

describe('MCP agent turn: OpenAI decides, the app calls the MCP tool, the tool asks the model: one trace', function () {
  this.timeout(60_000);
  const tracing = createTracing();
  useW3CPropagation();
  let llm: FakeLlmServer;
  let receiver: OtlpReceiver;
  let openai: OpenAIType;

  before(async () => {
    const { instrumentation } = useInstrumentation(tracing);
    instrumentation.setConfig({});
    openai = openaiClient(loadOpenAI(), (llm = await startFakeLlmServer()));
    answerTurn(llm, TEXTS);
  });
  after(() => llm.stop());
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
    tracing.reset();
  });
  afterEach(() => receiver.stop());

  async function tracedTurn(
    fixture: 'stdio-server.mjs' | 'stdio-server.cjs',
    env: Record<string, string> = {},
    more?: { run: (pair: StdioPair) => Promise<unknown>; serverSpans: number },
  ): Promise<{ answer: string; spans: SpanView[] }> {
    let pair: StdioPair | undefined;
    let answer = '';
    try {
      await tracing.inParent('agent', async () => {
        pair = await connectStdio(fixture, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin, FAKE_LLM_ORIGIN: llm.origin, ...env });
        answer = await runTurn(openai, pair, TEXTS.question);
        await more?.run(pair);
      });
    } finally {
      await pair?.client.close();
    }
    const here = (await tracing.spans()).map((s) => fromReadable(s));
    const agent = here.find((s) => s.name === 'agent')!;
    // initialize, tools/call summarize, and the handler's chat span.
    const there = await serverSpansOf(() => receiver.spans, agent.traceId, 3 + (more?.serverSpans ?? 0));
    return { answer, spans: [...here, ...there] };
  }

  for (const fixture of ['stdio-server.mjs', 'stdio-server.cjs'] as const) {
    it(`${fixture}: exact parents across the processes, one span per request and per LLM call`, async () => {
      const { answer, spans } = await tracedTurn(fixture);
      expect(answer).to.equal(TEXTS.finalAnswer);
      if (process.env.MCP_E2E_PRINT_TREE) process.stderr.write(`${printTree(spans, TREE_KEYS)}\n`);
      const agent = spans.find((s) => s.name === 'agent')!;
      expect(new Set(spans.map((s) => s.traceId))).to.deep.equal(new Set([agent.traceId]));
      const ours = spans.filter((s) => s.scope === '@infinium/otel');
      const appChats = ours.filter((s) => s.side === 'client' && s.name === 'chat gpt-4o-mini');
      const serverChats = ours.filter((s) => s.side === 'server' && s.name === 'chat gpt-4o-mini');
      const toolClient = ours.filter((s) => s.side === 'client' && s.name === 'tools/call summarize');
      const toolServer = ours.filter((s) => s.side === 'server' && s.name === 'tools/call summarize');
      expect([appChats.length, serverChats.length, toolClient.length, toolServer.length]).to.deep.equal([2, 1, 1, 1]);
      for (const span of [...appChats, toolClient[0]]) expect(span.parentSpanId, span.name).to.equal(agent.spanId);
      expect(toolClient[0].kind).to.equal('CLIENT');
      expect(toolServer[0].kind).to.equal('SERVER');
      expectChildOf(toolServer[0], toolClient[0]);
      // The handler's own LLM call is the server span's child.
      expect(serverChats[0].parentSpanId).to.equal(toolServer[0].spanId);
      expect(serverChats[0].attributes['llm.input_messages.0.message.content']).to.equal(`Summarize: ${TEXTS.toolInput}`);
      expect(serverChats[0].attributes['llm.output_messages.0.message.content']).to.equal(TEXTS.summary);
      expect(JSON.parse(toolClient[0].attributes['input.value'] as string)).to.deep.equal({ text: TEXTS.toolInput });
      expect(toolServer[0].attributes['output.value']).to.include(TEXTS.summary);
      // The capture-off test's scan finds all of it here, with content captured.
      expect(Object.values(TEXTS).filter((text) => contentOn(spans, [text]).length === 0), 'content not found').to.deep.equal([]);
      // The MCP spans and LLM spans of both processes, and nothing else of ours.
      expect(ours.map((s) => s.name).sort()).to.deep.equal(
        ['chat gpt-4o-mini', 'chat gpt-4o-mini', 'chat gpt-4o-mini', 'initialize', 'initialize', 'tools/call summarize', 'tools/call summarize'].sort(),
      );
    });
  }

  it('INFINIUM_CAPTURE_CONTENT=false in both processes: no argument, result, resource content or prompt message on any span, event or status', async () => {
    const previous = process.env.INFINIUM_CAPTURE_CONTENT;
    process.env.INFINIUM_CAPTURE_CONTENT = 'false';
    const { instrumentation } = useInstrumentation(tracing);
    try {
      instrumentation.setConfig({});
      const more = {
        serverSpans: 3,
        run: async (pair: StdioPair) => {
          await pair.client.readResource({ uri: 'notes://today' });
          await pair.client.getPrompt({ name: 'greet', arguments: { name: SECRETS.promptArgument } });
          await pair.client.callTool({ name: 'fail', arguments: { why: SECRETS.toolErrorArgument } });
        },
      };
      const { answer, spans } = await tracedTurn('stdio-server.mjs', { INFINIUM_CAPTURE_CONTENT: 'false', NOTES_TEXT: SECRETS.resourceText }, more);
      expect(answer).to.equal(TEXTS.finalAnswer);
      expect(spans.filter((s) => s.side === 'server').map((s) => s.name)).to.include.members(['resources/read', 'prompts/get greet', 'tools/call fail']);
      expect(contentOn(spans, [...Object.values(TEXTS), ...Object.values(SECRETS), 'quick brown'])).to.deep.equal([]);
      // A tool's name is not content.
      const tools = spans.filter((s) => s.attributes['mcp.method.name'] === 'tools/call');
      expect(tools.map((s) => [s.side, s.name, s.attributes['gen_ai.tool.name']])).to.have.deep.members([
        ['client', 'tools/call summarize', 'summarize'],
        ['server', 'tools/call summarize', 'summarize'],
        ['client', 'tools/call fail', 'fail'],
        ['server', 'tools/call fail', 'fail'],
      ]);
    } finally {
      if (previous === undefined) delete process.env.INFINIUM_CAPTURE_CONTENT;
      else process.env.INFINIUM_CAPTURE_CONTENT = previous;
      instrumentation.setConfig({});
    }
  });
});
