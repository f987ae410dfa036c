import { InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import path from 'node:path';
import { MethodTable, tableDefinition, tablePatcher } from '../../instrumentation/patch-table';
import { AnyFunction, moduleExports, PatchHost } from '../../instrumentation/patching';
import type { ProviderInstrumentation } from '../../providers/types';
import type * as ClientModule from './client';
import { cjsProtocolPaths, MCP_PROTOCOL_FILES, MCP_SDK, MCP_VERSIONS } from './files';
import type * as ServerModule from './server';

/**
 * MCP (`@modelcontextprotocol/sdk` 1.x): every request a CLIENT span where it is sent and a SERVER span
 * where it is handled, one trace across the protocol (client.ts, server.ts). Both sides are methods of the
 * SDK's `Protocol` class, the base of its `Client` and `Server` (files.ts says where it is).
 */
export { MCP_ESM_INCLUDE, MCP_VERSIONS } from './files';

type Side = 'client' | 'server';

const PROTOCOL_METHODS: MethodTable<Side> = {
  // The protocol file's `Protocol`; a bundled app may hand `manuallyInstrument` the client or server module
  // instead, whose `Client`/`Server` extend it.
  roots: (module) => {
    const exports = moduleExports<{ Protocol?: unknown; Client?: unknown; Server?: unknown } | undefined>(module);
    return [exports?.Protocol, superclassOf(exports?.Client), superclassOf(exports?.Server)];
  },
  methods: [
    { path: [], method: 'request', operation: 'client' },
    { path: [], method: '_onrequest', operation: 'server' },
  ],
  wrapper: (host: PatchHost, side: Side): ((original: AnyFunction) => AnyFunction) =>
    side === 'client' ? loadClient().clientRequestWrapper(host) : loadServer().serverRequestWrapper(host),
};

/**
 * The wrappers (and the span, request and render code under them) load when the SDK is first patched: an
 * app that never loads the MCP SDK pays for this file and files.ts only.
 */
let clientModule: typeof ClientModule | undefined;
let serverModule: typeof ServerModule | undefined;
function loadClient(): typeof ClientModule {
  return (clientModule ??= require('./client') as typeof ClientModule);
}
function loadServer(): typeof ServerModule {
  return (serverModule ??= require('./server') as typeof ServerModule);
}

/**
 * The package's definition (its ESM file, through the import hook), and one per CommonJS copy by absolute
 * path (files.ts says why). require-in-the-middle names a file hooked by path after its base name, and the
 * version cannot be read beside it: `cjsProtocolPaths` checked the copy's version already.
 */
function absolutePathDefinition(host: PatchHost, file: string): InstrumentationNodeModuleDefinition {
  const { patch, unpatch } = tablePatcher(host, [PROTOCOL_METHODS]);
  const hooked = new InstrumentationNodeModuleFile(path.parse(file).name, ['*'], patch, unpatch);
  return new InstrumentationNodeModuleDefinition(file, ['*'], patch, unpatch, [hooked]);
}

function superclassOf(cls: unknown): unknown {
  return typeof cls === 'function' ? Object.getPrototypeOf(cls) : undefined;
}

export const mcpInstrumentation: ProviderInstrumentation = {
  name: 'mcp',
  definitions: (host: PatchHost) => [
    tableDefinition(host, MCP_SDK, MCP_VERSIONS, [PROTOCOL_METHODS], MCP_PROTOCOL_FILES),
    ...cjsProtocolPaths().map((file) => absolutePathDefinition(host, file)),
  ],
};
