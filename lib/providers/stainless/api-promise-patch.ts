import { diag } from '@opentelemetry/api';
import type { PatchHost } from '../types';
import { CALL, isStainlessApiPromise, ObservedCall, StainlessApiPromise, watchParsed } from './observed-call';

/**
 * The APIPromise class's prototype, patched through the instrumentation's `wrap` (so `disable()` puts the
 * SDK's own methods back and `enable()` ours again). Each method passes straight through unless the
 * APIPromise carries an `ObservedCall` of ours:
 * - `parse()` (what `then`/`catch`/`finally`/`withResponse` go through) adds a side reaction to the parsed
 *   promise, the first time;
 * - `asResponse()` notes that the app reads the raw body itself; if we already parsed that body (a call
 *   nobody had asked for when it arrived), it gets the unread copy we kept;
 * - `_thenUnwrap()` (the `parse()` helpers) gives the derived promise the same `ObservedCall`;
 * - `_responseProps()` (Anthropic's helpers) notes the reaction it puts on `responsePromise`.
 */
type Method = (this: StainlessApiPromise, ...args: unknown[]) => unknown;
type Prototype = Record<PropertyKey, unknown>;

/** An instance's own `_thenUnwrap` (openai 7 sets one per APIPromise), kept while ours stands in for it. */
const OWN_THEN_UNWRAP = Symbol('@infinium/otel own _thenUnwrap');

const hasOwn = (o: object, key: PropertyKey) => Object.prototype.hasOwnProperty.call(o, key);

const REQUIRED = ['parse', 'asResponse', '_thenUnwrap'] as const;

/**
 * Marks the wrappers this copy installed. The prototype itself carries no mark: after `disable()` it is
 * exactly as the SDK made it, and the next traced call (after `enable()`, which puts the wrappers back
 * anyway) finds out from the method itself.
 */
const OURS = Symbol('@infinium/otel APIPromise wrapper');

const isOurs = (fn: unknown): boolean => typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[OURS] === true;

function ours(wrapper: (original: Method) => Method): (original: Method) => Method {
  return (original) => {
    const traced = wrapper(original);
    Object.defineProperty(traced, OURS, { value: true });
    return traced;
  };
}

const WRAPPERS: Readonly<Record<string, (original: Method) => Method>> = {
  then: (then) =>
    function tracedThen(this: StainlessApiPromise, onFulfilled?: unknown, onRejected?: unknown) {
      const observed = this[CALL];
      if (observed === undefined || !observed.claimReading()) return then.call(this, onFulfilled, onRejected);
      try {
        return then.call(this, ...readingHandlers(observed, onFulfilled, onRejected));
      } catch (error) {
        // The SDK's own `then` threw: the app gets that throw, and the span, which nothing else would end, ends with it.
        observed.parseFailed(error);
        throw error;
      }
    },
  parse: (parse) =>
    function tracedParse(this: StainlessApiPromise) {
      const observed = this[CALL];
      if (observed === undefined || !observed.claimReading()) return parse.call(this);
      const parsed = parse.call(this);
      try {
        watchParsed(parsed, observed);
      } catch (err) {
        diag.debug('@infinium/otel: could not observe an APIPromise', err);
      }
      return parsed;
    },
  asResponse: (asResponse) =>
    function tracedAsResponse(this: StainlessApiPromise, ...args: unknown[]) {
      const observed = this[CALL];
      const result = asResponse.apply(this, args);
      if (observed === undefined) return result;
      observed.noteAttached();
      if (observed.spare !== undefined) return spareIfBodyUsed(result, observed);
      if (!observed.rawRequested) {
        observed.rawRequested = true;
        observed.endIfRawOnly();
      }
      return result;
    },
  _thenUnwrap: (thenUnwrap) =>
    function tracedThenUnwrap(this: StainlessApiPromise, transform: unknown, ...rest: unknown[]) {
      return thenUnwrapTraced(thenUnwrap, this, transform, rest);
    },
  _responseProps: (responseProps) =>
    function tracedResponseProps(this: StainlessApiPromise, ...args: unknown[]) {
      this[CALL]?.noteAttached();
      return responseProps.apply(this, args);
    },
};

/**
 * The first `then` of a traced call (an `await` is one): the app's own handlers read the result for the span
 * before they run, so that no promise of ours is made for it. Each promise costs microseconds while an
 * AsyncLocalStorage context is in use (its hooks run for every one): a reaction of our own on the parsed promise
 * (the `parse()` path, for `parse()`, `withResponse()`, `catch`, `finally`) was ~5 µs of a traced chat call on
 * Node 22 (docs/performance.md). The handlers settle the derived promise exactly as the app's own would: a
 * missing handler passes the value on, or throws the same error again. Nothing of ours throws inside them:
 * `readParsed` and `parseFailed` never do.
 */
function readingHandlers(observed: ObservedCall, onFulfilled: unknown, onRejected: unknown): [(value: unknown) => unknown, (error: unknown) => unknown] {
  return [
    (value) => {
      observed.readParsed(value);
      return typeof onFulfilled === 'function' ? (onFulfilled as (value: unknown) => unknown)(value) : value;
    },
    (error) => {
      observed.parseFailed(error);
      if (typeof onRejected === 'function') return (onRejected as (error: unknown) => unknown)(error);
      throw error;
    },
  ];
}

/** The class in the chain that defines `parse` (the APIPromise class, also for a subclass such as PagePromise). */
export function apiPromiseClassPrototype(value: object): Prototype | undefined {
  for (let proto = Object.getPrototypeOf(value); proto !== null && proto !== Promise.prototype; proto = Object.getPrototypeOf(proto)) {
    if (hasOwn(proto, 'parse')) return proto;
  }
  return undefined;
}

/** Patches the APIPromise class through `host`, once. False when its shape is not the one we know. */
export function patchApiPromiseClass(host: PatchHost, proto: Prototype | undefined): boolean {
  if (proto === undefined) return false;
  if (isOurs(proto.parse)) return true;
  if (!REQUIRED.every((m) => hasOwn(proto, m) && typeof proto[m] === 'function')) return false;
  for (const name of Object.keys(WRAPPERS)) {
    if (hasOwn(proto, name)) host.wrap(proto, name, ours(WRAPPERS[name]) as (original: (...args: unknown[]) => unknown) => Method);
  }
  return isOurs(proto.parse) && isOurs(proto.asResponse);
}

/** True while our wrapper is on the APIPromise's `asResponse` (not after `disable()`). */
export function isPatched(apiPromise: StainlessApiPromise): boolean {
  return isOurs(apiPromise.asResponse);
}

/**
 * openai 7 gives each APIPromise its own `_thenUnwrap`: ours stands in for it on that instance (one shared
 * function, the SDK's kept under a symbol), so that its helpers' promises are traced as one call too.
 */
export function adoptOwnThenUnwrap(apiPromise: StainlessApiPromise): void {
  const own = apiPromise._thenUnwrap;
  if (!hasOwn(apiPromise, '_thenUnwrap') || typeof own !== 'function' || own === instanceThenUnwrap) return;
  (apiPromise as unknown as Record<symbol, unknown>)[OWN_THEN_UNWRAP] = own;
  apiPromise._thenUnwrap = instanceThenUnwrap;
}

function instanceThenUnwrap(this: StainlessApiPromise, transform: unknown, ...rest: unknown[]): unknown {
  const own = (this as unknown as Record<symbol, Method>)[OWN_THEN_UNWRAP];
  return thenUnwrapTraced(own, this, transform, rest);
}

/** `_thenUnwrap` through the SDK's `original`: the derived promise is the same call, seen through a helper. */
function thenUnwrapTraced(original: Method, base: StainlessApiPromise, transform: unknown, rest: unknown[]): unknown {
  const observed = base[CALL];
  if (observed === undefined || typeof transform !== 'function') return original.call(base, transform, ...rest);
  const traced = observed.call.isEnded ? transform : unwrapTracer(transform as Method, observed);
  const derived = original.call(base, traced, ...rest);
  try {
    if (isStainlessApiPromise(derived)) {
      derived[CALL] = observed;
      // Not yet arrived: if nobody asks by then, this is the promise to parse (the app holds it, not the base).
      if (observed.arrivedAt === undefined) observed.target = derived;
      adoptOwnThenUnwrap(derived);
    }
  } catch (err) {
    diag.debug('@infinium/otel: could not observe a derived APIPromise', err);
  }
  return derived;
}

/** The helper's transform, noting the response it was given (for the span) before it runs. */
function unwrapTracer(transform: Method, observed: ObservedCall): Method {
  return function tracedTransform(this: StainlessApiPromise, data: unknown, ...rest: unknown[]) {
    observed.unwrapped = data;
    return transform.call(this, data, ...rest);
  };
}

/** The raw response, or the unread copy we kept if our own parse read its body. */
function spareIfBodyUsed(result: unknown, observed: ObservedCall): unknown {
  if (!isPromiseLike(result)) return result;
  return result.then((response) => ((response as { bodyUsed?: unknown } | null)?.bodyUsed === true ? observed.spare : response));
}

function isPromiseLike(value: unknown): value is Promise<unknown> {
  return value instanceof Promise;
}
