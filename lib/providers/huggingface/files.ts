/**
 * Where `@huggingface/inference` keeps the task functions we trace: one place for the require and import
 * hooks and the ESM loader's include list. 4.x ships two unbundled builds (`dist/commonjs`, `dist/esm`),
 * one file per task. The entry only re-exports them (CommonJS: through non-configurable getters; ESM: a
 * namespace), and `InferenceClient` builds its methods from the tasks module, so the export is wrapped in
 * the task's own file: the standalone function and every client method then call the one wrapper.
 */
export const HUGGINGFACE_INFERENCE = '@huggingface/inference';

/** 4.13.30 is read and tested; 4.x keeps this layout. 3.x and older ship one bundle, which is not patched. */
export const HUGGINGFACE_VERSIONS = ['>=4.0.0 <5'];

/** Each traced task: its export name, which is also its file's name under `tasks/nlp/`. */
export const HUGGINGFACE_TASKS = ['chatCompletion', 'chatCompletionStream', 'textGeneration', 'textGenerationStream', 'featureExtraction'] as const;
export type HuggingFaceTask = (typeof HUGGINGFACE_TASKS)[number];

export const HUGGINGFACE_BUILDS = ['commonjs', 'esm'] as const;

/** A task's file as the hooks name it (`@huggingface/inference/dist/esm/tasks/nlp/chatCompletion.js`). */
export function taskFile(build: (typeof HUGGINGFACE_BUILDS)[number], task: HuggingFaceTask): string {
  return `${HUGGINGFACE_INFERENCE}/dist/${build}/tasks/nlp/${task}.js`;
}

/**
 * The SDK's request functions (`innerRequest`, and `innerStreamingRequest` for the two stream tasks), where
 * the provider the SDK resolved, the host it calls and the raw answer are read (request-functions.ts).
 */
export const REQUEST_EXPORTS = ['innerRequest', 'innerStreamingRequest'] as const;

export function requestFile(build: (typeof HUGGINGFACE_BUILDS)[number]): string {
  return `${HUGGINGFACE_INFERENCE}/dist/${build}/utils/request.js`;
}

/**
 * The ESM task files and request file, for the loader's include list (matched on the file's URL): the package imports them
 * by relative specifiers, which the package name in that list does not match.
 */
export const HUGGINGFACE_ESM_FILES: readonly RegExp[] = [
  new RegExp(`/@huggingface/inference/dist/esm/tasks/nlp/(${HUGGINGFACE_TASKS.join('|')})\\.js$`),
  /\/@huggingface\/inference\/dist\/esm\/utils\/request\.js$/,
];
