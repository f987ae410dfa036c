import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';

/**
 * The two Mistral majors in one process. 1.x is installed under the npm alias `mistralai-v1`, a path the
 * require hook does not know as `@mistralai/mistralai`; 2.x is ESM-only and this mocha process runs no
 * import hook. Both are patched the way a bundled app does it, `manuallyInstrument(entry module)`, which
 * runs the same patch the hooks run. test/providers/mistral/esm-hook.test.ts covers the real
 * import-in-the-middle path in a child process.
 */
export interface MistralMajor {
  label: string;
  /** The SDK's `Mistral` class and its error classes. */
  Mistral: any;
  errors: any;
}

export async function loadMistralV1(instrumentation: InfiniumInstrumentation): Promise<MistralMajor> {
  const entry = require('mistralai-v1');
  instrumentation.manuallyInstrument(entry);
  return { label: '1.x (CommonJS)', Mistral: entry.Mistral, errors: require('mistralai-v1/models/errors') };
}

export async function loadMistralV2(instrumentation: InfiniumInstrumentation): Promise<MistralMajor> {
  const ns = await import('@mistralai/mistralai');
  if ((ns as Record<symbol, unknown>)[Symbol.toStringTag] !== 'Module') throw new Error('expected the ESM build');
  instrumentation.manuallyInstrument(ns);
  return { label: '2.x (ESM)', Mistral: ns.Mistral, errors: await import('@mistralai/mistralai/models/errors') };
}
