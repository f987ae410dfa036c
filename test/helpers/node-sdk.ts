import { trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';

type NodeSdkOptions = NonNullable<ConstructorParameters<typeof NodeSDK>[0]>;

/**
 * A NodeSDK as an app starts one, inside the test harness: the harness owns the context manager, and
 * nothing the test does not name is set up (no resource detectors, propagator, log or metric pipelines).
 * `options` add the pipelines the test reads. `stop()` shuts it down and leaves no global tracer provider.
 */
export function startTestNodeSdk(options: NodeSdkOptions): { sdk: NodeSDK; stop(): Promise<void> } {
  const sdk = new NodeSDK({
    resourceDetectors: [],
    contextManager: null as never,
    textMapPropagator: null,
    metricReaders: [],
    logRecordProcessors: [],
    ...options,
  });
  sdk.start();
  return {
    sdk,
    async stop() {
      await sdk.shutdown();
      trace.disable();
    },
  };
}
