/**
 * Where the OpenAI Agents SDK's tracing lives: `@openai/agents-core` (which `@openai/agents` re-exports),
 * its CommonJS `dist/index.js` and ESM `dist/index.mjs`, both hooked by the package name.
 */
export const AGENTS_CORE = '@openai/agents-core';

/**
 * The versions that export both `setTracingContextStorage` and `MultiTracingProcessor` (from 0.11.5; read in
 * the published tarballs): the two public handles the bridge needs. 0.20 is the version tested.
 */
export const AGENTS_CORE_VERSIONS = ['>=0.11.5 <1'];
