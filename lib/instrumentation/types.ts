import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { TraceConfigOptions } from '../masking/trace-config';
import type { SemconvOptions } from '../config/semconv';
import type { CostOptions } from '../cost/pricing';
import type { ProviderName } from '../providers/types';

export interface InfiniumInstrumentationConfig extends InstrumentationConfig, TraceConfigOptions, SemconvOptions, CostOptions {
  /**
   * The providers to patch. Default: all of them, or those listed in `INFINIUM_INSTRUMENTATIONS`
   * (comma-separated: `openai,anthropic,google`). The option in code wins over the variable.
   */
  providers?: ProviderName[];
}
