import { MethodTable, tableDefinition } from '../../providers/patch-table';
import { AnyFunction, moduleExports, PatchHost, ProviderInstrumentation } from '../../providers/types';
import { clientRequestWrapper } from './client';
import { MCP_PROTOCOL_FILES, MCP_SDK, MCP_VERSIONS } from './files';
import { serverRequestWrapper } from './server';

/**
 * MCP (`@modelcontextprotocol/sdk` 1.x): every request a CLIENT span where it is sent and a SERVER span
 * where it is handled, one trace across the protocol (client.ts, server.ts). Both sides are methods of the
 * SDK's `Protocol` class, the base of its `Client` and `Server` (files.ts says where it is).
 */
export { MCP_ESM_INCLUDE, MCP_VERSIONS } from './files';

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
  definitions: (host: PatchHost) => [tableDefinition(host, MCP_SDK, MCP_VERSIONS, [PROTOCOL_METHODS], MCP_PROTOCOL_FILES)],
};
