import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import type { PatchHost } from '../instrumentation/patching';

/**
 * A provider's index.ts holds only what finding its SDK needs (the package name, versions, method tables by
 * operation name); the adapters, stream readers and renderers under them are `require`d the first time the
 * SDK is patched, so an app that never loads the SDK loads none of it.
 */

/** A module loaded at its first use, then kept. `load` is a `require` in the caller's file (paths resolve there). */
export function onFirstUse<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

/** How a provider patches and unpatches a loaded SDK module, in its lazily loaded files. */
export interface ModulePatcher {
  patch(host: PatchHost, module: unknown): void;
  unpatch(host: PatchHost, module: unknown): void;
}

/** The module definition of an SDK whose patch code is loaded when the SDK itself first is. */
export function lazyDefinition(host: PatchHost, name: string, versions: string[], patcher: () => ModulePatcher): InstrumentationNodeModuleDefinition {
  return new InstrumentationNodeModuleDefinition(
    name,
    versions,
    (module) => {
      patcher().patch(host, module);
      return module;
    },
    (module) => patcher().unpatch(host, module),
  );
}
