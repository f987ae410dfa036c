import { MethodTable, tableDefinition } from '../../providers/patch-table';
import { AnyFunction, moduleExports, PatchHost, ProviderInstrumentation } from '../../providers/types';
import { clientRequestWrapper } from './client';
import { serverRequestWrapper } from './server';

/**
 * MCP (`@modelcontextprotocol/sdk` 1.x): every request a CLIENT span where it is sent and a SERVER span
 * where it is handled, one trace across the protocol (client.ts, server.ts). Both sides are methods of the
 * SDK's `Protocol` class, the base of its `Client` and `Server`, in `shared/protocol.js`; the package has
 * no root module and its CommonJS and ESM builds are separate copies, so both files are hooked.
 */
export const MCP_VERSIONS = ['>=1.0.0 <2'];
const PROTOCOL_FILES = ['@modelcontextprotocol/sdk/dist/cjs/shared/protocol.js', '@modelcontextprotocol/sdk/dist/esm/shared/protocol.js'];

/**
 * For the ESM loader's include list: the SDK's modules import `shared/protocol.js` by a relative path, so
 * no bare specifier names it, and the loader wraps it only when its URL matches.
 */
export const MCP_ESM_INCLUDE: readonly RegExp[] = [/\/@modelcontextprotocol\/sdk\/dist\/esm\/shared\/protocol\.js$/];

type Side = 'client' | 'server';

const PROTOCOL_METHODS: MethodTable<Side> = {
  // The protocol file's `Protocol` (also what a bundled app hands `manuallyInstrument`).
  roots: (module) => [moduleExports<{ Protocol?: unknown } | undefined>(module)?.Protocol],
  methods: [
    { path: [], method: 'request', operation: 'client' },
    { path: [], method: '_onrequest', operation: 'server' },
  ],
  wrapper: (host: PatchHost, side: Side): ((original: AnyFunction) => AnyFunction) =>
    side === 'client' ? clientRequestWrapper(host) : serverRequestWrapper(host),
};

export const mcpInstrumentation: ProviderInstrumentation = {
  name: 'mcp',
  definitions: (host: PatchHost) => [tableDefinition(host, '@modelcontextprotocol/sdk', MCP_VERSIONS, [PROTOCOL_METHODS], PROTOCOL_FILES)],
};
