import { diag } from '@opentelemetry/api';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The SDK modules our instrumentation hooks. They are handed to the loader up front, so the loader
 * knows them before the app's first `import` even though a CommonJS entry cannot wait for the
 * message channel's acknowledgement (no top-level await). Other `Hook()`s still reach the loader
 * through the channel.
 */
export const ESM_HOOKED_MODULES: readonly string[] = ['openai', '@anthropic-ai/sdk', '@google/genai', '@google/generative-ai'];

/**
 * Registers import-in-the-middle's loader hook, so that `import OpenAI from 'openai'` in an ESM app
 * is patched (default export included) with no `--experimental-loader` flag. Must run before the
 * instrumentation is enabled. Returns false where `module.register` is missing (Node < 20.6).
 */
export function registerEsmLoaderHook(): boolean {
  const register = (nodeModule as { register?: typeof nodeModule.register }).register;
  if (typeof register !== 'function') {
    diag.warn('@infinium/otel: this Node.js has no module.register; ESM imports of the LLM SDKs will not be patched');
    return false;
  }
  try {
    const { registerOptions } = createAddHookMessageChannel();
    const data = registerOptions.data as { include?: string[] };
    data.include = [...ESM_HOOKED_MODULES];
    register('import-in-the-middle/hook.mjs', pathToFileURL(__filename).href, registerOptions);
    return true;
  } catch (err) {
    diag.warn('@infinium/otel: the ESM loader hook could not be registered', err);
    return false;
  }
}
