import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import sinon from 'sinon';
import { ExitProcess, FlushTarget, installExitHooks } from '../../lib/register/exit-hooks';

/** A stand-in for `process`: real listeners, recorded kills. */
class FakeProcess extends EventEmitter implements ExitProcess {
  readonly pid = 4242;
  readonly kills: Array<[number, string]> = [];
  kill(pid: number, signal: string): boolean {
    this.kills.push([pid, signal]);
    return true;
  }
}

function target(overrides: Partial<FlushTarget> = {}) {
  let unflushed = true;
  const calls: string[] = [];
  const t: FlushTarget = {
    hasUnflushedSpans: () => {
      const had = unflushed;
      unflushed = false;
      return had;
    },
    flush: async () => {
      calls.push('flush');
    },
    shutdown: async () => {
      calls.push('shutdown');
    },
    ...overrides,
  };
  return { t, calls, markUnflushed: () => (unflushed = true) };
}

describe('installExitHooks', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers();
  });
  afterEach(() => clock.restore());

  it('beforeExit flushes only what ended since the last flush, so the loop can empty', async () => {
    const proc = new FakeProcess();
    const { t, calls, markUnflushed } = target();
    installExitHooks(t, 1000, proc);
    proc.emit('beforeExit', 0);
    await clock.tickAsync(0);
    proc.emit('beforeExit', 0);
    await clock.tickAsync(0);
    expect(calls).to.deep.equal(['flush']);
    markUnflushed();
    proc.emit('beforeExit', 0);
    await clock.tickAsync(0);
    expect(calls).to.deep.equal(['flush', 'flush']);
    expect(proc.kills).to.deep.equal([]);
  });

  it('a signal nobody else handles: shut down, remove our listeners, raise the same signal again', async () => {
    const proc = new FakeProcess();
    const { t, calls } = target();
    installExitHooks(t, 1000, proc);
    proc.emit('SIGTERM', 'SIGTERM');
    expect(proc.kills).to.deep.equal([]);
    await clock.tickAsync(0);
    expect(calls).to.deep.equal(['shutdown']);
    expect(proc.kills).to.deep.equal([[4242, 'SIGTERM']]);
    expect(proc.listenerCount('SIGTERM')).to.equal(0);
    expect(proc.listenerCount('SIGINT')).to.equal(0);
    expect(proc.listenerCount('beforeExit')).to.equal(0);
  });

  it('a shutdown that hangs is cut off at the bound', async () => {
    const proc = new FakeProcess();
    const { t } = target({ shutdown: () => new Promise<void>(() => {}) });
    installExitHooks(t, 1000, proc);
    proc.emit('SIGINT', 'SIGINT');
    await clock.tickAsync(999);
    expect(proc.kills).to.deep.equal([]);
    await clock.tickAsync(1);
    expect(proc.kills).to.deep.equal([[4242, 'SIGINT']]);
  });

  it('a second signal while shutting down raises at once', async () => {
    const proc = new FakeProcess();
    const { t } = target({ shutdown: () => new Promise<void>(() => {}) });
    installExitHooks(t, 5000, proc);
    proc.emit('SIGINT', 'SIGINT');
    proc.emit('SIGINT', 'SIGINT');
    expect(proc.kills).to.deep.equal([[4242, 'SIGINT']]);
  });

  it("the app's own handler decides: we flush, never shut down or kill", async () => {
    const proc = new FakeProcess();
    const { t, calls } = target();
    installExitHooks(t, 1000, proc);
    const appHandler = sinon.spy();
    proc.on('SIGTERM', appHandler);
    proc.emit('SIGTERM', 'SIGTERM');
    await clock.tickAsync(5000);
    expect(appHandler.calledOnce).to.equal(true);
    expect(calls).to.deep.equal(['flush']);
    expect(proc.kills).to.deep.equal([]);
  });

  it('the returned function removes every hook', () => {
    const proc = new FakeProcess();
    const uninstall = installExitHooks(target().t, 1000, proc);
    expect(proc.eventNames().sort()).to.deep.equal(['SIGINT', 'SIGTERM', 'beforeExit']);
    uninstall();
    expect(proc.eventNames()).to.deep.equal([]);
  });
});
