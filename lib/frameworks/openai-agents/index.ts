import { diag } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import type { PatchHost } from '../../instrumentation/patching';
import type { ProviderInstrumentation } from '../../providers/types';
import { AGENTS_CORE, AGENTS_CORE_VERSIONS } from './files';
import type * as Patches from './patches';

export { AGENTS_CORE, AGENTS_CORE_VERSIONS } from './files';

/**
 * The bridge, its scope and renderers load the first time `@openai/agents-core` is patched: an app that
 * never loads the SDK pays for this file and files.ts only.
 */
let patchesModule: typeof Patches | undefined;
function patches(): typeof Patches {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (patchesModule ??= require('./patches') as typeof Patches);
}

function agentsCoreDefinition(host: PatchHost): InstrumentationNodeModuleDefinition {
  const patch = (module: unknown) => {
    try {
      patches().patchModule(host, module);
    } catch (err) {
      diag.debug('@infinium/otel: patching @openai/agents-core failed; its runs are not traced', err);
    }
    return module;
  };
  const unpatch = (module: unknown) => {
    try {
      patches().unpatchModule(host, module);
    } catch (err) {
      diag.debug('@infinium/otel: unpatching @openai/agents-core failed', err);
    }
  };
  return new InstrumentationNodeModuleDefinition(AGENTS_CORE, AGENTS_CORE_VERSIONS, patch, unpatch);
}

/**
 * The OpenAI Agents SDK (`@openai/agents`, `@openai/agents-core`): its own tracing bridged to OTel, one
 * OpenInference tree per run (CHAIN task, AGENT, TOOL, GUARDRAIL, handoffs), its model requests the LLM
 * spans of our SDK patch (bridge.ts).
 */
export const openaiAgentsInstrumentation: ProviderInstrumentation = {
  name: 'openai-agents',
  definitions: (host: PatchHost) => [agentsCoreDefinition(host)],
};
