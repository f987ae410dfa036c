import { diag } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { moduleExports, PatchHost } from '../../instrumentation/patching';
import type { ProviderInstrumentation } from '../../providers/types';
import { CLAUDE_AGENT_SDK, CLAUDE_AGENT_VERSIONS } from './files';
import type * as QueryModule from './query';

/**
 * The Claude Agent SDK (`@anthropic-ai/claude-agent-sdk`): each `query()` an AGENT span, with the CLI's
 * tool calls and subagents under it (query.ts), and so each `WarmQuery.query()` of `startup()`. The package
 * is ESM only; its `query` and `startup` exports are wrapped on the module namespace the import hook hands
 * over (import-in-the-middle lets a namespace's export be set).
 */
export { CLAUDE_AGENT_SDK, CLAUDE_AGENT_VERSIONS } from './files';

const QUERY_EXPORT = 'query';
/** `startup()`: the CLI started ahead of the first prompt (its `WarmQuery.query()` is traced as `query()` is). */
const STARTUP_EXPORT = 'startup';

/** The wrapper and the run code under it load when the SDK is first patched: an app without it pays for this file and files.ts. */
let queryModule: typeof QueryModule | undefined;
function loadQuery(): typeof QueryModule {
  return (queryModule ??= require('./query') as typeof QueryModule);
}

function patcher(host: PatchHost) {
  return {
    patch<T>(module: T): T {
      try {
        const exports = moduleExports<Record<string, unknown> | undefined>(module);
        if (!exports) return module;
        if (typeof exports[QUERY_EXPORT] === 'function') host.wrap(exports, QUERY_EXPORT, loadQuery().queryWrapper(host, () => exports[QUERY_EXPORT]));
        if (typeof exports[STARTUP_EXPORT] === 'function') host.wrap(exports, STARTUP_EXPORT, loadQuery().startupWrapper(host, () => exports[STARTUP_EXPORT]));
      } catch (err) {
        // A real (frozen) namespace handed to manuallyInstrument(): its exports cannot be replaced.
        diag.debug('@infinium/otel: could not patch the Claude Agent SDK', err);
      }
      return module;
    },
    unpatch(module: unknown): void {
      try {
        const exports = moduleExports<Record<string, unknown> | undefined>(module);
        if (!exports) return;
        // host.unwrap puts the SDK's own function back on the namespace (a Proxy), which OTel's _unwrap alone does not.
        for (const name of [QUERY_EXPORT, STARTUP_EXPORT]) host.unwrap(exports, name);
      } catch (err) {
        diag.debug('@infinium/otel: could not unpatch the Claude Agent SDK', err);
      }
    },
  };
}

export const claudeAgentInstrumentation: ProviderInstrumentation = {
  name: 'claude-agent',
  definitions: (host: PatchHost) => {
    const { patch, unpatch } = patcher(host);
    return [new InstrumentationNodeModuleDefinition(CLAUDE_AGENT_SDK, CLAUDE_AGENT_VERSIONS, patch, unpatch)];
  },
};
