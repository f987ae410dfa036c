import { InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import { AsyncMethodOperation, asyncMethodWrapper } from '../async-method';
import { moduleExports, PatchHost, prototypeOf, ProviderInstrumentation } from '../types';
import { chatComplete, chatStream, embeddingsCreate, fimComplete, fimStream } from './operations';

/**
 * `@mistralai/mistralai`. Its resource classes (`Chat`, `Fim`, `Embeddings`) are not exported from the
 * package's entry: the `Mistral` client builds them lazily. So the patch goes to the module files that
 * define them: CommonJS `sdk/*.js` in 1.x, ESM-only `esm/sdk/*.js` in 2.x (reached through the
 * import-in-the-middle hook). Tested: 1.15.1 and 2.5.0.
 */
export const MISTRAL_V1_VERSIONS = ['>=1.0.0 <2'];
export const MISTRAL_V2_VERSIONS = ['>=2.0.0 <3'];

/** Each class file: its exported class and the methods patched on its prototype. */
const CLASS_FILES: ReadonlyArray<{ file: string; cls: string; methods: ReadonlyArray<readonly [string, AsyncMethodOperation]> }> = [
  {
    file: 'chat.js',
    cls: 'Chat',
    methods: [
      ['complete', chatComplete],
      ['stream', chatStream],
    ],
  },
  {
    file: 'fim.js',
    cls: 'Fim',
    methods: [
      ['complete', fimComplete],
      ['stream', fimStream],
    ],
  },
  { file: 'embeddings.js', cls: 'Embeddings', methods: [['create', embeddingsCreate]] },
];

function classFile(host: PatchHost, dir: string, versions: string[], spec: (typeof CLASS_FILES)[number]): InstrumentationNodeModuleFile {
  const protoOf = (module: unknown) => prototypeOf(moduleExports<Record<string, unknown> | undefined>(module)?.[spec.cls]);
  return new InstrumentationNodeModuleFile(
    `@mistralai/mistralai/${dir}${spec.file}`,
    versions,
    (module) => {
      const proto = protoOf(module);
      if (proto) for (const [name, op] of spec.methods) host.wrap(proto, name, asyncMethodWrapper(host, op));
      return module;
    },
    (module) => {
      const proto = module ? protoOf(module) : undefined;
      if (proto) for (const [name] of spec.methods) host.unwrap(proto, name);
    },
  );
}

export const mistralInstrumentation: ProviderInstrumentation = {
  name: 'mistralai',
  definitions(host: PatchHost) {
    const files = [
      ...CLASS_FILES.map((spec) => classFile(host, 'sdk/', MISTRAL_V1_VERSIONS, spec)),
      ...CLASS_FILES.map((spec) => classFile(host, 'esm/sdk/', MISTRAL_V2_VERSIONS, spec)),
    ];
    return [new InstrumentationNodeModuleDefinition('@mistralai/mistralai', [...MISTRAL_V1_VERSIONS, ...MISTRAL_V2_VERSIONS], undefined, undefined, files)];
  },
};
