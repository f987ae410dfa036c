import { expect } from 'chai';
import { REPO_ROOT, runNode } from '../../../register/run-node';

/**
 * Start-up cost: every app builds the MCP definitions when the instrumentation starts, but only an app that
 * loads the MCP SDK loads the wrappers and the span, request and render code under them. A child process
 * (nothing of mocha's already loaded) takes `@infinium/otel` by name, so `dist/` must be built (`npm test` does).
 */
describe('MCP: start-up', () => {
  const CHILD = `
    const mcpFiles = () => Object.keys(require.cache)
      .filter((f) => f.includes('/frameworks/mcp/')).map((f) => f.split('/frameworks/mcp/')[1]).sort();
    const { InfiniumInstrumentation } = require('@infinium/otel');
    new InfiniumInstrumentation();
    const before = mcpFiles();
    const { Protocol } = require('@modelcontextprotocol/sdk/shared/protocol.js');
    const wrapped = typeof Protocol.prototype.request.__original === 'function';
    console.log(JSON.stringify({ before, after: mcpFiles(), wrapped }));
  `;

  it('an app that never loads the MCP SDK loads only the definitions (index, files); the first patch loads the rest', async () => {
    const { code, stdout, stderr } = await runNode(['-e', CHILD], {}, REPO_ROOT).exited;
    expect({ code, stderr }).to.deep.equal({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).to.deep.equal({
      before: ['files.js', 'index.js'],
      after: ['client.js', 'files.js', 'index.js', 'mcp-request.js', 'mcp-span.js', 'protocol.js', 'server.js'],
      wrapped: true,
    });
  });
});
