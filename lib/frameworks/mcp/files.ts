import { diag } from '@opentelemetry/api';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { appDirs } from '../../instrumentation/app-dirs';

/**
 * Where the MCP SDK's `Protocol` lives (`@modelcontextprotocol/sdk` 1.x): one place for the require/import
 * hooks and the ESM loader's include list, importable without the patch itself. Its CommonJS and ESM builds
 * are separate copies of every class, so both files are hooked.
 */
export const MCP_SDK = '@modelcontextprotocol/sdk';
export const MCP_VERSIONS = ['>=1.0.0 <2'];
export const MCP_PROTOCOL_FILES = [`${MCP_SDK}/dist/cjs/shared/protocol.js`, `${MCP_SDK}/dist/esm/shared/protocol.js`];

/**
 * For the ESM loader's include list (matched on the file's URL): the SDK's modules import
 * `shared/protocol.js` by a relative specifier, which no package name matches.
 */
export const MCP_ESM_INCLUDE: readonly RegExp[] = [/\/@modelcontextprotocol\/sdk\/dist\/esm\/shared\/protocol\.js$/];

/** What `require` of the protocol file resolves to (the package's `./*` export: dist/cjs). */
const CJS_PROTOCOL_SPECIFIER = `${MCP_SDK}/shared/protocol.js`;

/**
 * The SDK's CommonJS protocol file(s), by absolute path, as an app's `require` finds them (from the working
 * directory, the main script's directory, and ours), each copy once, 1.x only.
 *
 * The package's root export names a file it does not ship (`dist/cjs/index.js`), so require-in-the-middle,
 * which resolves a package's main to tell its internal files apart, never hands any CommonJS file of the SDK
 * to a hook by package name. A hook on the absolute path is matched on the file itself. A copy none of these
 * places resolves to (one nested under another package's node_modules) is not hooked: docs/frameworks/mcp.md.
 */
export function cjsProtocolPaths(): string[] {
  const found = new Set<string>();
  for (const base of new Set([...appDirs(), __dirname])) {
    try {
      const file = require.resolve(CJS_PROTOCOL_SPECIFIER, { paths: [base] });
      if (!found.has(file) && isSupportedCopy(file)) found.add(file);
    } catch {
      // Not installed where this base looks.
    }
  }
  return [...found];
}

/** The copy's own package.json says 1.x (2.x is split into other packages; a future 2.x here is not ours to patch). */
function isSupportedCopy(file: string): boolean {
  const marker = `${path.sep}dist${path.sep}cjs${path.sep}shared${path.sep}protocol.js`;
  if (!file.endsWith(marker)) return false;
  try {
    const manifest = JSON.parse(readFileSync(path.join(file.slice(0, -marker.length), 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    return manifest.name === MCP_SDK && typeof manifest.version === 'string' && /^1\./.test(manifest.version);
  } catch (err) {
    diag.debug('@infinium/otel: could not read the MCP SDK version', err);
    return false;
  }
}
