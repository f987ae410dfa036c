import { expect } from 'chai';
import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { scopedAsyncIterator } from '../../../lib/frameworks/langchain/scoped-iterator';
import { createTracing } from '../../helpers/tracing';

const KEY = createContextKey('scoped-iterator test');
const SCOPE = ROOT_CONTEXT.setValue(KEY, 'scope');

/** What each step of a generator saw as the active context's value under KEY. */
function recorder() {
  const seen: unknown[] = [];
  const note = () => seen.push(context.active().getValue(KEY));
  return { seen, note };
}

function scoped<T>(generator: AsyncGenerator<T>, onAbandon: () => void = () => {}): AsyncGenerator<T> {
  return scopedAsyncIterator<T>(generator, SCOPE, onAbandon) as AsyncGenerator<T>;
}

describe('scopedAsyncIterator', () => {
  before(() => createTracing());

  it('values and done are the inner ones, each step runs in the scope, a finished stream ends its scope once', async () => {
    const { seen, note } = recorder();
    let abandoned = 0;
    async function* inner() {
      note();
      yield 1;
      note();
      yield 2;
      note();
      return 'end';
    }
    const it = scoped(inner(), () => abandoned++);
    const steps = [await it.next(), await it.next()];
    expect(abandoned).to.equal(0);
    steps.push(await it.next(), await it.next());
    expect(steps).to.deep.equal([{ value: 1, done: false }, { value: 2, done: false }, { value: 'end', done: true }, { value: undefined, done: true }]);
    expect(seen).to.deep.equal(['scope', 'scope', 'scope']);
    expect(abandoned).to.equal(1);
    await it.return(undefined);
    expect(abandoned).to.equal(1);
  });

  it("return() before the end: abandons first, then runs the inner return (its finally) in the scope; the inner's result is returned", async () => {
    const { seen, note } = recorder();
    const order: string[] = [];
    async function* inner() {
      try {
        yield 1;
        yield 2;
      } finally {
        note();
        order.push('finally');
      }
    }
    const it = scoped(inner(), () => order.push('abandon'));
    for await (const value of it) if (value === 1) break;
    expect(order).to.deep.equal(['abandon', 'finally']);
    expect(seen).to.deep.equal(['scope']);
  });

  it('an error is the same object, the stream ends its scope, and nothing is left unhandled', async () => {
    const error = new Error('boom');
    let abandoned = 0;
    async function* inner() {
      yield 1;
      throw error;
    }
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const it = scoped(inner(), () => abandoned++);
      await it.next();
      const caught = await it.next().then(() => undefined, (e: unknown) => e);
      expect(caught).to.equal(error);
      expect(abandoned).to.equal(1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('throw() is forwarded into the generator in the scope: it may catch it and go on, or fail with it', async () => {
    const { seen, note } = recorder();
    async function* inner() {
      try {
        yield 1;
      } catch (e) {
        note();
        yield `caught ${(e as Error).message}`;
      }
    }
    const it = scoped(inner());
    await it.next();
    expect(await it.throw(new Error('x'))).to.deep.equal({ value: 'caught x', done: false });
    expect(seen).to.deep.equal(['scope']);
    const error = new Error('y');
    expect(await it.throw(error).then(() => undefined, (e: unknown) => e)).to.equal(error);
  });

  it('an iterator without return()/throw(): return() is done with the value; throw() rejects with the error', async () => {
    let abandoned = 0;
    const plain = { next: async () => ({ value: 1, done: false }) };
    const it = scopedAsyncIterator<number>(plain, SCOPE, () => abandoned++) as AsyncIterator<number>;
    expect(await it.return!('v')).to.deep.equal({ value: 'v', done: true });
    const error = new Error('z');
    expect(await it.throw!(error).then(() => undefined, (e: unknown) => e)).to.equal(error);
    expect(abandoned).to.equal(1);
  });

  it('an onAbandon that throws is swallowed: the stream still returns', async () => {
    async function* inner() {
      yield 1;
      yield 2;
    }
    const it = scoped(inner(), () => {
      throw new Error('ours');
    });
    await it.next();
    expect(await it.return(undefined)).to.deep.equal({ value: undefined, done: true });
  });

  it('anything that is not an iterator is returned as it is; the wrapper is an async iterable', () => {
    const value = { notAnIterator: true };
    expect(scopedAsyncIterator(value, SCOPE, () => {})).to.equal(value);
    expect(scopedAsyncIterator(undefined, SCOPE, () => {})).to.equal(undefined);
    const it = scoped((async function* () {})());
    expect(it[Symbol.asyncIterator]()).to.equal(it);
  });
});
