import { diag } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import type { PatchHost } from '../../instrumentation/patching';
import type { ProviderInstrumentation } from '../../providers/types';
import { bothBuilds, LANGCHAIN_CORE, LANGCHAIN_CORE_VERSIONS, LANGCHAIN_FILES, LANGGRAPH, LANGGRAPH_FILES, LANGGRAPH_VERSIONS } from './files';
import type * as Patches from './patches';

/**
 * The patches, the handler and the run renderer under them load the first time a LangChain file is
 * patched: an app that never loads `@langchain/core` pays for this file and files.ts only.
 */
let patchesModule: typeof Patches | undefined;
function patches(): typeof Patches {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (patchesModule ??= require('./patches') as typeof Patches);
}

/**
 * A package whose files are hooked, each build of each file with its patch. The entry's patch tries them
 * all: the package's entry exports none of these classes, but a bundled app hands `manuallyInstrument` the
 * modules that do (`@langchain/core/callbacks/manager`, `/singletons`, `/runnables`, …).
 */
function filesDefinition(host: PatchHost, packageName: string, versions: string[], files: Readonly<Record<string, string>>): InstrumentationNodeModuleDefinition {
  const hooked = (file: string | undefined) => ({
    patch: (module: unknown) => {
      try {
        patches().patchModule(host, packageName, file, module);
      } catch (err) {
        diag.debug(`@infinium/otel: patching ${packageName} failed; its runs are not traced`, err);
      }
      return module;
    },
    unpatch: (module: unknown) => {
      try {
        patches().unpatchModule(host, packageName, file, module);
      } catch (err) {
        diag.debug(`@infinium/otel: unpatching ${packageName} failed`, err);
      }
    },
  });
  const fileDefinitions = Object.entries(files).flatMap(([key, file]) =>
    bothBuilds(packageName, file).map((name) => {
      const { patch, unpatch } = hooked(key);
      return new InstrumentationNodeModuleFile(name, versions, patch, unpatch);
    }),
  );
  const entry = hooked(undefined);
  return new InstrumentationNodeModuleDefinition(packageName, versions, entry.patch, entry.unpatch, fileDefinitions);
}

/**
 * LangChain.js and LangGraph.js (which runs on `@langchain/core`'s runnables and callbacks): every run a
 * span, parented by run id, with no code in the app.
 */
export const langchainInstrumentation: ProviderInstrumentation = {
  name: 'langchain',
  definitions: (host: PatchHost) => [
    filesDefinition(host, LANGCHAIN_CORE, LANGCHAIN_CORE_VERSIONS, LANGCHAIN_FILES),
    filesDefinition(host, LANGGRAPH, LANGGRAPH_VERSIONS, LANGGRAPH_FILES),
  ],
};
