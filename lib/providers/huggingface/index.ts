import { diag } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import { onFirstUse } from '../lazy-load';
import { AnyFunction, PatchHost, ProviderInstrumentation } from '../types';
import { HUGGINGFACE_BUILDS, HUGGINGFACE_INFERENCE, HUGGINGFACE_TASKS, HUGGINGFACE_VERSIONS, REQUEST_EXPORTS, requestFile, taskFile } from './files';
import type * as Wrappers from './wrappers';

/**
 * `@huggingface/inference`: `chatCompletion`, `chatCompletionStream`, `textGeneration`,
 * `textGenerationStream` (LLM) and `featureExtraction` (EMBEDDING), whether called as exported functions or as `InferenceClient` (or
 * `HfInference`) methods. Each task's export is wrapped in its own file (files.ts says why), in both builds,
 * and so are the SDK's `innerRequest` and `innerStreamingRequest`, which read what the task functions do
 * not return: the provider and host the SDK resolved, the raw answer's usage (request-functions.ts). The
 * entry itself is never wrapped.
 */
export { HUGGINGFACE_ESM_FILES } from './files';

/** The adapters load when a task file is first patched. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wrappers = onFirstUse(() => require('./wrappers') as typeof Wrappers);

type Exports = Record<string, unknown>;

/**
 * The ESM entry's namespace, once loaded. import-in-the-middle gives the entry its own copy of each
 * re-exported binding, taken when the entry is evaluated (after the task files, so with our wrappers in
 * it): a task file's patch and unpatch also set the entry's copy, so that `disable()` restores both and
 * `enable()` wraps both. The CommonJS entry reads the task files through getters, live: nothing to copy there.
 */
class EsmEntry {
  namespace: Exports | undefined;

  remember(module: unknown): void {
    if ((module as { [Symbol.toStringTag]?: unknown } | undefined)?.[Symbol.toStringTag] === 'Module') this.namespace = module as Exports;
  }

  /** Sets the entry's copy of `task` to what the task file exports now. */
  follow(file: Exports, task: string): void {
    const entry = this.namespace;
    if (!entry || entry === file || entry[task] === file[task]) return;
    try {
      entry[task] = file[task];
    } catch (err) {
      diag.debug(`@infinium/otel: could not update the @huggingface/inference entry's ${task}`, err);
    }
  }
}

/**
 * Wraps (or restores) exports of a file's module (a CommonJS `exports` object, or an import-in-the-middle
 * namespace), each with the wrapper `wrapperOf` loads for it; `entry`: the ESM entry whose copy of each
 * export follows it.
 */
function exportPatcher(host: PatchHost, names: readonly string[], wrapperOf: (name: string) => (original: AnyFunction) => AnyFunction, entry?: EsmEntry) {
  return {
    patch<T>(module: T): T {
      for (const name of names) {
        try {
          const exports = module as Exports | undefined;
          if (exports && typeof exports[name] === 'function') {
            host.wrap(exports, name, wrapperOf(name));
            entry?.follow(exports, name);
          }
        } catch (err) {
          diag.debug(`@infinium/otel: could not patch @huggingface/inference ${name}`, err);
        }
      }
      return module;
    },
    unpatch(module: unknown): void {
      if (!module) return;
      for (const name of names) {
        try {
          host.unwrap(module as Exports, name);
          entry?.follow(module as Exports, name);
        } catch (err) {
          diag.debug(`@infinium/otel: could not unpatch @huggingface/inference ${name}`, err);
        }
      }
    },
  };
}

function fileHook(file: string, patcher: ReturnType<typeof exportPatcher>): InstrumentationNodeModuleFile {
  return new InstrumentationNodeModuleFile(file, HUGGINGFACE_VERSIONS, patcher.patch, patcher.unpatch);
}

export const huggingfaceInstrumentation: ProviderInstrumentation = {
  name: 'huggingface',
  definitions(host: PatchHost) {
    const esmEntry = new EsmEntry();
    const files = HUGGINGFACE_BUILDS.flatMap((build) => [
      ...HUGGINGFACE_TASKS.map((task) =>
        fileHook(taskFile(build, task), exportPatcher(host, [task], () => wrappers().huggingFaceTaskWrapper(host, task), build === 'esm' ? esmEntry : undefined)),
      ),
      fileHook(requestFile(build), exportPatcher(host, REQUEST_EXPORTS, () => wrappers().requestWrapper)),
    ]);
    // The entry's exports are re-exports of the task files: it is only remembered (an ESM namespace), never wrapped.
    const remember = <T>(module: T): T => {
      esmEntry.remember(module);
      return module;
    };
    return [new InstrumentationNodeModuleDefinition(HUGGINGFACE_INFERENCE, HUGGINGFACE_VERSIONS, remember, () => undefined, files)];
  },
};
