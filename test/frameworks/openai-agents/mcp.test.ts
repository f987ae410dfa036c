import { expect } from 'chai';
import path from 'node:path';
import { calls, says, scripted } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import { expectAllEnded, expectOneLlmSpanPerRequest, expectOneTree, expectOnlyErrors, named, only, outline } from './tree';

const LLM = `chat ${REQUEST_MODEL} LLM`;
/** The MCP end-to-end tests' stdio server (tools add, fail, context, summarize), run with no tracing of its own. */
const STDIO_SERVER = path.join(__dirname, '..', 'mcp', 'e2e', 'fixtures', 'stdio-server.cjs');

describe('OpenAI Agents: an agent with an MCP server (MCPServerStdio)', function () {
  const suite = useAgentsSuite();
  const { tracing } = suite;

  it('each turn\'s tool listing a CHAIN "mcp_tools <server>" with the tool names, the MCP tool call a TOOL span with its arguments and result', async function () {
    this.timeout(30_000);
    const server = new suite.agents.MCPServerStdio({ name: 'calc', command: process.execPath, args: [STDIO_SERVER] });
    await server.connect();
    try {
      tracing.reset();
      suite.server.handle(scripted([calls('add', { a: 2, b: 3 }, 1), says('It is 5.', 2)]));
      const agent = new suite.agents.Agent({ name: 'Calculator', instructions: 'Add.', model: REQUEST_MODEL, mcpServers: [server] });
      const result = await tracing.inParent('app', () => suite.agents.run(agent, 'Add 2 and 3'));
      expect(result.finalOutput).to.equal('It is 5.');
    } finally {
      await server.close();
    }
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal([
      'app -',
      '  Agent workflow CHAIN',
      '    Calculator AGENT',
      '      mcp_tools calc CHAIN',
      `      ${LLM}`,
      '      add TOOL',
      '      mcp_tools calc CHAIN',
      `      ${LLM}`,
    ]);
    for (const listing of named(spans, 'mcp_tools calc')) {
      expect(JSON.parse(String(listing.attributes['output.value']))).to.deep.equal(['add', 'fail', 'context', 'summarize']);
    }
    const tool = only(spans, 'add');
    expect(JSON.parse(String(tool.attributes['input.value']))).to.deep.equal({ a: 2, b: 3 });
    expect(JSON.parse(String(tool.attributes['output.value']))).to.deep.equal({ type: 'text', text: '5' });
    expectOneLlmSpanPerRequest(suite, spans);
    expectOnlyErrors(spans);
    expectAllEnded(suite);
  });
});
