/**
 * The Claude Agent SDK package: one place for the instrumentation and the ESM loader hook, importable
 * without the patch itself. The package is ESM only (`sdk.mjs`): it is patched through the import hook.
 */
export const CLAUDE_AGENT_SDK = '@anthropic-ai/claude-agent-sdk';

/**
 * Every release from the first (0.0.4) to 0.3.x exports `query({ prompt, options })` returning the same
 * async-generator `Query`; the CLI gets the caller's trace context (TRACEPARENT) from recent releases only.
 * A 1.x is not ours to patch until its shapes are checked.
 */
export const CLAUDE_AGENT_VERSIONS = ['>=0.0.4 <1'];

/**
 * The main agent's name when `options.agent` names none. The CLI names its main agent nowhere, so the
 * conversion of its own spans (lib/processor/claude-code-mapper.ts) calls its turn the same.
 */
export const CLAUDE_CODE_AGENT = 'claude-code';
