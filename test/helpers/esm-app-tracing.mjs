/**
 * The preamble every provider ESM app (test/providers/<name>/esm-app.mjs) needs before it imports an SDK:
 * import-in-the-middle's hook registered (told about `include`, files only reached by relative specifiers), an
 * in-memory pipeline (test/fixtures/app-tracing.cjs), and the instrumentation registered on it. It resolves once
 * the hook has acknowledged the instrumentation's modules, so the SDK imported next is patched. `hook: false`
 * registers no hook: the instrumentation's own loader hook (INFINIUM_ESM_HOOK) must then patch the SDK.
 */
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { InfiniumInstrumentation } from '@infinium/otel';
import tracing from '../fixtures/app-tracing.cjs';

export async function startEsmAppTracing({ hook = true, include = [] } = {}) {
  const { exporter, provider } = tracing.createPipeline();
  let acknowledged = async () => undefined;
  if (hook) {
    const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
    registerOptions.data.include.push(...include);
    register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
    acknowledged = waitForAllMessagesAcknowledged;
  }
  const instrumentation = new InfiniumInstrumentation();
  registerInstrumentations({ instrumentations: [instrumentation], tracerProvider: provider });
  await acknowledged();
  return { exporter, provider, instrumentation };
}
