import type { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';

/**
 * The two Mistral majors in one process, patched through the instrumentation's own file definitions:
 * 1.x is installed under the npm alias `mistralai-v1`, whose path the require hook does not know as
 * `@mistralai/mistralai`; 2.x is ESM-only, and this mocha process runs no import hook. So each file
 * definition's patch is applied to the module the hook would have handed it (the SDK's own module
 * objects, loaded the way the SDK loads them). test/providers/mistral/esm-hook.test.ts covers the real
 * import-in-the-middle path in a child process.
 */
export interface MistralMajor {
  label: string;
  /** The SDK's `Mistral` class and its error classes. */
  Mistral: any;
  errors: any;
  unpatch(): void;
}

type FileDefinition = NonNullable<InstrumentationNodeModuleDefinition['files']>[number];

function fileDefinitions(instrumentation: InfiniumInstrumentation, dir: string): FileDefinition[] {
  const definitions = (instrumentation as unknown as { init(): InstrumentationNodeModuleDefinition[] }).init();
  return definitions
    .filter((d) => d.name === '@mistralai/mistralai')
    .flatMap((d) => d.files ?? [])
    .filter((f) => f.name.startsWith(`@mistralai/mistralai/${dir}`) && f.name.slice(`@mistralai/mistralai/${dir}`.length).indexOf('/') < 0);
}

async function patchFiles(instrumentation: InfiniumInstrumentation, dir: string, load: (file: string) => Promise<unknown>, version: string): Promise<() => void> {
  const patched: Array<[FileDefinition, unknown]> = [];
  for (const file of fileDefinitions(instrumentation, dir)) {
    const module = await load(file.name.slice(`@mistralai/mistralai/${dir}`.length));
    file.patch(module, version);
    patched.push([file, module]);
  }
  if (patched.length !== 3) throw new Error(`expected 3 Mistral class files under ${dir}, got ${patched.length}`);
  return () => patched.forEach(([file, module]) => file.unpatch(module, version));
}

export async function loadMistralV1(instrumentation: InfiniumInstrumentation): Promise<MistralMajor> {
  const unpatch = await patchFiles(instrumentation, 'sdk/', async (file) => require(`mistralai-v1/sdk/${file}`), '1.15.1');
  return { label: '1.x (CommonJS)', Mistral: require('mistralai-v1').Mistral, errors: require('mistralai-v1/models/errors'), unpatch };
}

export async function loadMistralV2(instrumentation: InfiniumInstrumentation): Promise<MistralMajor> {
  // `@mistralai/mistralai/sdk/chat.js` maps to esm/sdk/chat.js through the package's exports: the very
  // module instance the client imports.
  const unpatch = await patchFiles(instrumentation, 'esm/sdk/', (file) => import(`@mistralai/mistralai/sdk/${file}`), '2.5.0');
  const ns = await import('@mistralai/mistralai');
  if ((ns as Record<symbol, unknown>)[Symbol.toStringTag] !== 'Module') throw new Error('expected the ESM build');
  return { label: '2.x (ESM)', Mistral: ns.Mistral, errors: await import('@mistralai/mistralai/models/errors'), unpatch };
}
