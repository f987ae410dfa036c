import { diag } from '@opentelemetry/api';
import { type AnyFunction, moduleExports, type PatchHost, prototypeOf } from '../../instrumentation/patching';
import { installStorage, reinstallIfReplaced, sdkStorage, uninstallStorage } from './agents-scope';
import { AgentsBridge } from './bridge';
import { currentSdkSpan, type SdkSpan, type SdkTrace, type TracingContextStorage } from './sdk-shapes';
import { getAgentInput, getAgentOutput } from './span-records';

/** The exports of `@openai/agents-core` the bridge uses (its CommonJS module, or the ESM namespace). */
interface AgentsCoreExports {
  setTracingContextStorage?: (storage?: TracingContextStorage) => void;
  MultiTracingProcessor?: unknown;
  Runner?: unknown;
}

type ProcessorEvent = 'onTraceStart' | 'onTraceEnd' | 'onSpanStart' | 'onSpanEnd';
const PROCESSOR_EVENTS: readonly ProcessorEvent[] = ['onTraceStart', 'onTraceEnd', 'onSpanStart', 'onSpanEnd'];

/** One bridge per instrumentation: its spans, its runtime. */
const bridges = new WeakMap<PatchHost, AgentsBridge>();
function bridgeOf(host: PatchHost): AgentsBridge {
  let bridge = bridges.get(host);
  if (!bridge) bridges.set(host, (bridge = new AgentsBridge(host.runtime)));
  return bridge;
}

/**
 * Three patch points, all public exports: the context storage (so that what starts inside an SDK span is its
 * child), the processor list's class (so that the bridge hears every trace and span first, whatever
 * processors the app sets, and the SDK's processors, OpenAI's exporter among them, still get everything),
 * and the runner's `emit` (an agent's input and final output, which the SDK's span data leaves out).
 */
export function patchModule(host: PatchHost, module: unknown): void {
  const exports = moduleExports<AgentsCoreExports | undefined>(module);
  if (!exports) return;
  const bridge = bridgeOf(host);
  if (typeof exports.setTracingContextStorage === 'function') installStorage(exports.setTracingContextStorage, bridge);
  const processor = prototypeOf(exports.MultiTracingProcessor);
  if (processor) for (const event of PROCESSOR_EVENTS) host.wrap(processor, event, (original) => processorEventWrapper(bridge, event, original));
  // `emit` is inherited (RunHooks' EventEmitterDelegate): the runner's own wrapper leaves agents' hooks alone.
  const runner = prototypeOf(exports.Runner);
  if (runner) host.wrap(runner, 'emit', (original) => emitWrapper(bridge, original));
}

export function unpatchModule(host: PatchHost, module: unknown): void {
  const exports = moduleExports<AgentsCoreExports | undefined>(module);
  if (!exports) return;
  bridges.get(host)?.abandonAll();
  if (typeof exports.setTracingContextStorage === 'function') uninstallStorage(exports.setTracingContextStorage);
  const processor = prototypeOf(exports.MultiTracingProcessor);
  if (processor) for (const event of PROCESSOR_EVENTS) host.unwrap(processor, event);
  const runner = prototypeOf(exports.Runner);
  if (runner) host.unwrap(runner, 'emit');
}

/** The bridge hears the event first, synchronously (a child may start before the SDK's processors are awaited), then the SDK's processors run as they would. */
function processorEventWrapper(bridge: AgentsBridge, event: ProcessorEvent, original: AnyFunction): AnyFunction {
  return function bridgedProcessorEvent(this: unknown, ...args: unknown[]): unknown {
    try {
      if (event === 'onTraceStart' || event === 'onSpanStart') reinstallIfReplaced();
      if (event === 'onTraceStart' || event === 'onTraceEnd') bridge[event](args[0] as SdkTrace);
      else bridge[event](args[0] as SdkSpan);
    } catch (err) {
      diag.debug(`@infinium/otel: the OpenAI Agents bridge failed on ${event}`, err);
    }
    return original.apply(this, args);
  };
}

/** `agent_start` gives the agent's input, `agent_end` its final output: onto the current agent's run and its task's. */
function emitWrapper(bridge: AgentsBridge, original: AnyFunction): AnyFunction {
  return function emitWithRunValues(this: unknown, ...args: unknown[]): unknown {
    try {
      if (args[0] === 'agent_start') noteAgentStart(bridge, args[3]);
      else if (args[0] === 'agent_end') noteAgentEnd(bridge, getAgentOutput(args[2], args[3]));
    } catch (err) {
      diag.debug('@infinium/otel: could not read an OpenAI Agents run event', err);
    }
    return original.apply(this, args);
  };
}

function currentSpan(): SdkSpan | undefined {
  return currentSdkSpan(sdkStorage()?.getStore());
}

function noteAgentStart(bridge: AgentsBridge, inputItems: unknown): void {
  const span = currentSpan();
  const input = getAgentInput(inputItems);
  for (const type of ['agent', 'task']) {
    const run = bridge.runOf(span, type);
    if (run && run.record.input === undefined) run.record.input = input;
  }
}

function noteAgentEnd(bridge: AgentsBridge, output: unknown): void {
  const span = currentSpan();
  for (const type of ['agent', 'task']) {
    const run = bridge.runOf(span, type);
    if (run) run.record.output = output;
  }
}
