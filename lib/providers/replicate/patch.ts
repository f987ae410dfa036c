import type { ModulePatcher } from '../lazy-load';
import { AnyFunction, moduleExports, PatchHost, prototypeOf } from '../types';
import { hookAssignedProperty, HookState, unhookAssignedProperty, whileActive } from '../instance-methods';
import { asRecord, asString, Json } from '../../record/read';
import { readPrediction, readPredictionInput, requestedModel } from './prediction';
import { ReplicateOperation, replicateWrapper } from './traced';

/**
 * Where `replicate` is patched (1.x; the `Replicate` class is the module's export):
 * - `run`, `stream` and `wait` are methods of `Replicate.prototype`: wrapped there.
 * - `predictions` is a plain object the constructor builds per client (`this.predictions = { create:
 *   predictions.create.bind(this), get, cancel, list }`), so there is no class to patch. Its public home is
 *   the client's `predictions` property, and the constructor's assignment to it passes through an accessor
 *   we put on `Replicate.prototype` (instance-methods.ts): the namespace the SDK built is kept, with its
 *   `create`, `get` and `cancel` traced. Clients built before the instrumentation loaded are not traced
 *   by it; disable() turns the namespace methods of existing clients back into pass-throughs and removes
 *   the accessor.
 * Loaded when the SDK is first patched (index.ts).
 */

const inputOf = (args: unknown[], at: number): unknown => asRecord(args[at])?.input;

/** `run(ref, { input, wait, signal, … }, progress)` and `stream(ref, { input, signal, … })`. */
const byRef: ReplicateOperation = {
  model: (args) => asString(args[0]),
  readRequest: (record, args) => readPredictionInput(record, inputOf(args, 1)),
  result: 'output',
};

const PROTOTYPE_METHODS: ReadonlyArray<readonly [string, ReplicateOperation]> = [
  ['run', { ...byRef, appCallbackAt: 2 }],
  ['stream', { ...byRef, result: 'stream' }],
  // `wait(prediction, options, stop)`: polls a prediction the app created; `stop` is the app's.
  [
    'wait',
    {
      model: (args) => asString(asRecord(args[0])?.model),
      readRequest(record, args) {
        readPredictionInput(record, inputOf(args, 0));
        readPrediction(record, args[0]);
      },
      result: 'prediction',
      appCallbackAt: 2,
    },
  ],
];

const statusRead: ReplicateOperation = { model: () => undefined, readRequest: () => undefined, result: 'none' };

const NAMESPACE_METHODS: ReadonlyArray<readonly [string, ReplicateOperation]> = [
  // `predictions.create({ model | version, input, wait, … })`.
  ['create', { model: (args) => requestedModel(asRecord(args[0])), readRequest: (record, args) => readPredictionInput(record, inputOf(args, 0)), result: 'prediction' }],
  ['get', statusRead],
  ['cancel', statusRead],
];

/**
 * The constructor's `predictions` namespace, its methods traced while the hook is active. They are called
 * on the namespace (`client.predictions.create(…)`), bound to the client: the client is what they read.
 */
function tracedNamespace(host: PatchHost, value: unknown, state: HookState, client: object): unknown {
  const namespace = asRecord(value) as Json | undefined;
  if (!namespace) return value;
  for (const [name, op] of NAMESPACE_METHODS) {
    const original = namespace[name];
    if (typeof original === 'function') namespace[name] = whileActive(state, original as AnyFunction, replicateWrapper(host, op, () => client)(original as AnyFunction));
  }
  return namespace;
}

function replicatePrototype(module: unknown): Record<string, unknown> | undefined {
  return module ? prototypeOf(moduleExports(module)) : undefined;
}

export const replicatePatcher: ModulePatcher = {
  patch(host, module) {
    const proto = replicatePrototype(module);
    if (!proto) return;
    for (const [name, op] of PROTOTYPE_METHODS) if (typeof proto[name] === 'function') host.wrap(proto, name, replicateWrapper(host, op));
    hookAssignedProperty(proto, 'predictions', (value, state, client) => tracedNamespace(host, value, state, client));
  },
  unpatch(host, module) {
    const proto = replicatePrototype(module);
    if (!proto) return;
    for (const [name] of PROTOTYPE_METHODS) host.unwrap(proto, name);
    unhookAssignedProperty(proto, 'predictions');
  },
};
