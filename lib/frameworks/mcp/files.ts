/**
 * Where the MCP SDK's `Protocol` lives (`@modelcontextprotocol/sdk` 1.x): one place for the require/import
 * hooks and the ESM loader's include list, importable without the patch itself. The package has no root
 * module, and its CommonJS and ESM builds are separate copies of every class, so both files are hooked.
 */
export const MCP_SDK = '@modelcontextprotocol/sdk';
export const MCP_VERSIONS = ['>=1.0.0 <2'];
export const MCP_PROTOCOL_FILES = [`${MCP_SDK}/dist/cjs/shared/protocol.js`, `${MCP_SDK}/dist/esm/shared/protocol.js`];

/**
 * For the ESM loader's include list (matched on the file's URL): the SDK's modules import
 * `shared/protocol.js` by a relative specifier, which no package name matches.
 */
export const MCP_ESM_INCLUDE: readonly RegExp[] = [/\/@modelcontextprotocol\/sdk\/dist\/esm\/shared\/protocol\.js$/];
