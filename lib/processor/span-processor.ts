import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

export interface InfiniumSpanProcessorOptions {
  /** `infinium.service` on root spans. Default: the resource's `service.name`, else `infinium-agent`. */
  serviceName?: string;
}

/**
 * Enriches spans as they end, next to the app's export processor in the NodeSDK `spanProcessors` list.
 * This first version passes spans through untouched and holds no state.
 */
export class InfiniumSpanProcessor implements SpanProcessor {
  constructor(readonly options: InfiniumSpanProcessorOptions = {}) {}
  onStart(_span: Span, _parentContext: Context): void {}
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
