import { diag, Tracer } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationModuleDefinition, isWrapped } from '@opentelemetry/instrumentation';
import { processEnv, readList } from '../config/env';
import { Conventions, resolveConventions } from '../config/semconv';
import { Pricing, resolvePricing } from '../cost/pricing';
import { CallMetrics, genAiMetricsFor } from '../semconv/genai-meter';
import { resolveTraceConfig, TraceConfig } from '../masking/trace-config';
import { AiSdkChannel } from '../providers/ai-sdk';
import { AnyFunction, PatchHost, PROVIDER_NAMES, ProviderName, resolveProviderNames } from '../providers/types';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version';
import { registerEsmLoaderHook, releaseEsmLoaderHook } from './esm-loader-hook';
import { reportSdksLoadedBeforePatching } from './loaded-too-early';
import { providerDefinitions } from './provider-registry';
import type { CallRuntime } from './llm-call';
import type { InfiniumInstrumentationConfig } from './types';

/** Marks the functions we installed, so that `disable()` removes ours and never another library's wrapper. */
const OUR_WRAPPER = Symbol.for('@infinium/otel wrapper');

function isOurWrapper(fn: unknown): boolean {
  return isWrapped(fn) && (fn as unknown as Record<symbol, unknown>)[OUR_WRAPPER] === true;
}

/**
 * Each instance's AI SDK channel subscriber. Kept outside the instance because the base constructor calls
 * `enable()` before the subclass's fields exist.
 */
const aiSdkChannels = new WeakMap<object, AiSdkChannel>();

type MethodWrapper = (original: unknown) => AnyFunction;

/**
 * Every method each instance wrapped, on every copy of an SDK it met. A process can load both the
 * CommonJS and the ESM build of an SDK (two copies of its classes), while InstrumentationBase remembers
 * only the last module it patched: from this registry `disable()` removes every wrapper of ours and
 * `enable()` puts each back.
 */
const wrappedMethods = new WeakMap<object, Map<object, Map<string, MethodWrapper>>>();

function wrappedBy(instance: object): Map<object, Map<string, MethodWrapper>> {
  let byTarget = wrappedMethods.get(instance);
  if (!byTarget) wrappedMethods.set(instance, (byTarget = new Map()));
  return byTarget;
}

/**
 * Patches the OpenAI (and xAI and other OpenAI-compatible hosts), Anthropic and Google Gemini SDKs at
 * require/import time so that each API call becomes one OpenInference + Infinium LLM span, and
 * `@langchain/core` so that each LangChain/LangGraph run becomes a span of the run tree above them, and the
 * MCP SDK so that each request is a CLIENT span where it is sent and a SERVER span where it is handled.
 */
export class InfiniumInstrumentation extends InstrumentationBase<InfiniumInstrumentationConfig> implements CallRuntime {
  private _traceConfig!: TraceConfig;
  private _conventions!: Conventions;
  private _genAiMetrics: CallMetrics | undefined;
  private _pricing: Pricing | undefined;
  /** `manuallyInstrument()` ran since the last `disable()`: patches install though the instrumentation was made disabled. */
  private manual = false;

  constructor(config: InfiniumInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
    this._traceConfig = resolveTraceConfig(config);
    this._conventions = resolveConventions(config);
    this._pricing = resolvePricing(config);
    // The base constructor ran this before our fields existed.
    this._updateMetricInstruments();
  }

  override setConfig(config: InfiniumInstrumentationConfig = {}): void {
    super.setConfig(config);
    this._traceConfig = resolveTraceConfig(config);
    this._conventions = resolveConventions(config);
    this._pricing = resolvePricing(config);
  }

  /** The attribute conventions in force: the `semconv` option, else `INFINIUM_SEMCONV` / `OTEL_SEMCONV_STABILITY_OPT_IN`. */
  get conventions(): Conventions {
    return this._conventions;
  }

  /** The GenAI client metrics through the meter of `setMeterProvider` (NodeSDK's), if one is registered. */
  get genAiMetrics(): CallMetrics | undefined {
    return this._genAiMetrics;
  }

  /** Called by the base class on `setMeterProvider`: the metrics follow the new meter. */
  protected override _updateMetricInstruments(): void {
    this._genAiMetrics = genAiMetricsFor(this.meter);
  }

  /** Prices each call from its final usage (`llm.cost.*`): the `cost`/`prices` options, `INFINIUM_COST`, `INFINIUM_PRICES_FILE`. */
  get pricing(): Pricing | undefined {
    return this._pricing;
  }

  /** The masking configuration in force, resolved from the options and the environment. */
  get traceConfig(): TraceConfig {
    return this._traceConfig;
  }

  // Exposed (read-only) for the provider patches, which live outside this class.
  override get tracer(): Tracer {
    return super.tracer;
  }

  /**
   * The providers this instance patches: the `providers` option, else `INFINIUM_INSTRUMENTATIONS`, else
   * all. Names people say (`xai`, `grok`, `gemini`, `claude`, …) are aliases of the provider patched.
   */
  get enabledProviders(): ProviderName[] {
    const fromOptions = this.getConfig().providers;
    if (Array.isArray(fromOptions)) return resolveProviderNames(fromOptions, 'the providers option');
    const fromEnv = readList(processEnv(), 'INFINIUM_INSTRUMENTATIONS');
    return fromEnv ? resolveProviderNames(fromEnv, 'INFINIUM_INSTRUMENTATIONS') : [...PROVIDER_NAMES];
  }

  /**
   * Enabling also registers the ESM loader hook (once per process, where `module.register` exists), so
   * the NodeSDK quick start traces `import OpenAI from 'openai'` with no loader flag, and reports an SDK
   * that was loaded too early to be patched. It also subscribes to the AI SDK's (ai 7) telemetry channel:
   * nothing to patch there, and nothing runs until `ai` publishes. Runs inside the base constructor: no
   * instance fields here.
   */
  override enable(): void {
    const modules = this.getModuleDefinitions().map((d) => d.name);
    registerEsmLoaderHook(modules, this);
    super.enable();
    reportSdksLoadedBeforePatching(modules);
    const host = this.patchHost();
    for (const [target, methods] of wrappedBy(this)) {
      for (const [name, wrapper] of methods) if (!isOurWrapper((target as Record<string, unknown>)[name])) host.wrap(target, name, wrapper);
    }
    let channel = aiSdkChannels.get(this);
    if (!channel) aiSdkChannels.set(this, (channel = new AiSdkChannel(this)));
    channel.enable();
  }

  override disable(): void {
    super.disable();
    releaseEsmLoaderHook(this);
    this.manual = false;
    const host = this.patchHost();
    for (const [target, methods] of wrappedBy(this)) for (const name of methods.keys()) host.unwrap(target, name);
    aiSdkChannels.get(this)?.disable();
  }

  protected override init(): InstrumentationModuleDefinition[] {
    return providerDefinitions(this.enabledProviders, this.patchHost());
  }

  /**
   * For bundled apps, where no `require`/`import` hook sees the SDK: pass the SDK's module object
   * (`import * as openai from 'openai'`), and it is patched as the hook would have done.
   */
  manuallyInstrument(module: unknown): void {
    this.manual = true;
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
        const methods = wrappedBy(self);
        let names = methods.get(target);
        if (!names) methods.set(target, (names = new Map()));
        names.set(name, wrapper as MethodWrapper);
        // A patch made after `disable()` (a lazily patched resource class, such as Mistral's, met later) is
        // only registered: `enable()` installs it. A bundled app's instrumentation, made disabled for
        // `manuallyInstrument`, patches all the same.
        if (!self.isEnabled() && !self.manual) return;
        // shimmer's wrap stacks on whatever is there: a wrapper of ours from an earlier patch is removed
        // first, so ours never stack (another instrumentation's wrapper stays, under ours).
        if (isOurWrapper(record[name])) self._unwrap(record, name);
        self._wrap(record, name, wrapper as MethodWrapper);
        const installed = record[name];
        if (typeof installed === 'function') Object.defineProperty(installed, OUR_WRAPPER, { value: true });
      },
      unwrap(target, name) {
        const record = target as Record<string, unknown>;
        if (!isOurWrapper(record[name])) return;
        const original = (record[name] as { __original?: unknown }).__original;
        self._unwrap(record, name);
        // On an import-in-the-middle namespace (a Proxy) OTel's _unwrap sets our wrapper again: put the original back.
        if (isOurWrapper(record[name]) && typeof original === 'function') Object.defineProperty(record, name, { value: original });
      },
    };
  }
}
