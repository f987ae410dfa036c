import { diag, Tracer } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, isWrapped } from '@opentelemetry/instrumentation';
import { processEnv, readList } from '../config/env';
import { resolveTraceConfig, TraceConfig } from '../masking/trace-config';
import { anthropicInstrumentation } from '../providers/anthropic';
import { googleInstrumentation } from '../providers/google';
import { groqInstrumentation } from '../providers/groq';
import { mistralInstrumentation } from '../providers/mistral';
import { ollamaInstrumentation } from '../providers/ollama';
import { openaiInstrumentation } from '../providers/openai';
import { AnyFunction, PatchHost, PROVIDER_NAMES, ProviderInstrumentation, ProviderName } from '../providers/types';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version';
import type { CallRuntime } from './llm-call';
import type { InfiniumInstrumentationConfig } from './types';

/** Marks the functions we installed, so that `disable()` removes ours and never another library's wrapper. */
const OUR_WRAPPER = Symbol.for('@infinium/otel wrapper');

function isOurWrapper(fn: unknown): boolean {
  return isWrapped(fn) && (fn as unknown as Record<symbol, unknown>)[OUR_WRAPPER] === true;
}

const ALL_PROVIDERS: readonly ProviderInstrumentation[] = [openaiInstrumentation, anthropicInstrumentation, googleInstrumentation, mistralInstrumentation, groqInstrumentation, ollamaInstrumentation];

/**
 * Patches the OpenAI (and xAI and other OpenAI-compatible hosts), Anthropic and Google Gemini SDKs at
 * require/import time so that each API call becomes one OpenInference + Infinium LLM span.
 */
export class InfiniumInstrumentation extends InstrumentationBase<InfiniumInstrumentationConfig> implements CallRuntime {
  private _traceConfig!: TraceConfig;

  constructor(config: InfiniumInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
    this._traceConfig = resolveTraceConfig(config);
  }

  override setConfig(config: InfiniumInstrumentationConfig = {}): void {
    super.setConfig(config);
    this._traceConfig = resolveTraceConfig(config);
  }

  /** The masking configuration in force, resolved from the options and the environment. */
  get traceConfig(): TraceConfig {
    return this._traceConfig;
  }

  // Exposed (read-only) for the provider patches, which live outside this class.
  override get tracer(): Tracer {
    return super.tracer;
  }

  /** The providers this instance patches: the `providers` option, else `INFINIUM_INSTRUMENTATIONS`, else all. */
  get enabledProviders(): ProviderName[] {
    const fromOptions = this.getConfig().providers;
    const requested = fromOptions ?? readList(processEnv(), 'INFINIUM_INSTRUMENTATIONS');
    if (!requested) return [...PROVIDER_NAMES];
    const known = requested.filter((name): name is ProviderName => (PROVIDER_NAMES as readonly string[]).includes(name));
    for (const name of requested) {
      if (!known.includes(name as ProviderName)) diag.warn(`@infinium/otel: unknown provider ${JSON.stringify(name)} ignored`);
    }
    return known;
  }

  protected override init(): InstrumentationNodeModuleDefinition[] {
    const host = this.patchHost();
    const enabled = this.enabledProviders;
    return ALL_PROVIDERS.filter((p) => enabled.includes(p.name)).flatMap((p) => p.definitions(host));
  }

  /**
   * For bundled apps, where no `require`/`import` hook sees the SDK: pass the SDK's module object
   * (`import * as openai from 'openai'`), and it is patched as the hook would have done.
   */
  manuallyInstrument(module: unknown): void {
    for (const definition of this.init()) {
      try {
        definition.patch?.(module as never);
      } catch (err) {
        diag.debug(`@infinium/otel: manual patch of ${definition.name} skipped`, err);
      }
    }
  }

  private patchHost(): PatchHost {
    const self = this;
    return {
      get runtime(): CallRuntime {
        return self;
      },
      wrap(target, name, wrapper) {
        const record = target as Record<string, unknown>;
        if (typeof record[name] !== 'function') return;
        // InstrumentationBase._wrap first removes any shimmer wrapper already there (ours from an earlier
        // patch, or another OTel instrumentation's): one instrumentation of a method is active at a time.
        self._wrap(record, name, wrapper as (original: unknown) => AnyFunction);
        const installed = record[name];
        if (typeof installed === 'function') Object.defineProperty(installed, OUR_WRAPPER, { value: true });
      },
      unwrap(target, name) {
        const record = target as Record<string, unknown>;
        if (isOurWrapper(record[name])) self._unwrap(record, name);
      },
    };
  }
}
