import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import sinon from 'sinon';
import { diag } from '@opentelemetry/api';
import { ExitProcess, ExitReporter, FlushTarget, installExitHooks } from '../../lib/register/exit-hooks';
import { ExportFailureReporter, shortReason } from '../../lib/register/export-failures';

/** A stand-in for `process`: real listeners, recorded kills. */
class FakeProcess extends EventEmitter implements ExitProcess {
  readonly pid = 4242;
  readonly kills: Array<[number, string]> = [];
  exits = 0;
  exit(): void {
    this.exits++;
  }
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

  function recordingReporter(): ExitReporter & { lines: string[] } {
    const lines: string[] = [];
    return { lines, failed: (err) => lines.push(`failed: ${shortReason(err)}`), timedOut: (ms) => lines.push(`timed out: ${ms}`) };
  }

  it('beforeExit: an export still running at the budget is given up with one line, and the process exits', async () => {
    const proc = new FakeProcess();
    const reporter = recordingReporter();
    const { t } = target({ flush: () => new Promise<void>(() => {}) });
    installExitHooks(t, 2000, proc, reporter);
    proc.emit('beforeExit', 0);
    await clock.tickAsync(1999);
    expect(proc.exits).to.equal(0);
    await clock.tickAsync(1);
    expect(proc.exits).to.equal(1);
    expect(reporter.lines).to.deep.equal(['timed out: 2000']);
    expect(proc.kills).to.deep.equal([]);
  });

  it('beforeExit: a failed export is one line, and the process exits on its own (no exit call)', async () => {
    const proc = new FakeProcess();
    const reporter = recordingReporter();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), { code: 'ECONNREFUSED' });
    const { t } = target({ flush: () => Promise.reject(refused) });
    installExitHooks(t, 2000, proc, reporter);
    proc.emit('beforeExit', 0);
    await clock.tickAsync(5000);
    expect(reporter.lines).to.deep.equal(['failed: connect ECONNREFUSED 127.0.0.1:4318']);
    expect(proc.exits).to.equal(0);
  });

  it('a backend that refuses connections: give up at once with one line (no waiting for retries)', async () => {
    const proc = new FakeProcess();
    const reporter = recordingReporter();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), { code: 'ECONNREFUSED' });
    const { t } = target({
      flush: () => new Promise<void>((_, reject) => setTimeout(() => reject(refused), 9000)),
      unreachable: async () => refused,
    });
    installExitHooks(t, 2000, proc, reporter);
    proc.emit('beforeExit', 0);
    await clock.tickAsync(0);
    expect(proc.exits).to.equal(1);
    await clock.tickAsync(10_000);
    expect(reporter.lines).to.deep.equal(['failed: connect ECONNREFUSED 127.0.0.1:4318']);
    expect(proc.exits).to.equal(1);
  });

  it('a reachable backend: the probe changes nothing, the flush is awaited', async () => {
    const proc = new FakeProcess();
    const reporter = recordingReporter();
    const { t, calls } = target({ unreachable: async () => undefined });
    installExitHooks(t, 2000, proc, reporter);
    proc.emit('SIGTERM', 'SIGTERM');
    await clock.tickAsync(0);
    expect(calls).to.deep.equal(['shutdown']);
    expect(reporter.lines).to.deep.equal([]);
    expect(proc.kills).to.deep.equal([[4242, 'SIGTERM']]);
  });

  it('a failure that arrives after the budget is not reported a second time', async () => {
    const proc = new FakeProcess();
    const reporter = recordingReporter();
    const { t } = target({ shutdown: () => new Promise<void>((_, reject) => setTimeout(() => reject(new Error('late')), 3000)) });
    installExitHooks(t, 1000, proc, reporter);
    proc.emit('SIGTERM', 'SIGTERM');
    await clock.tickAsync(5000);
    expect(reporter.lines).to.deep.equal(['timed out: 1000']);
    expect(proc.kills).to.deep.equal([[4242, 'SIGTERM']]);
  });

  it('the returned function removes every hook', () => {
    const proc = new FakeProcess();
    const uninstall = installExitHooks(target().t, 1000, proc);
    expect(proc.eventNames().sort()).to.deep.equal(['SIGINT', 'SIGTERM', 'beforeExit']);
    uninstall();
    expect(proc.eventNames()).to.deep.equal([]);
  });
});

describe('ExportFailureReporter', () => {
  let warn: sinon.SinonStub;
  beforeEach(() => {
    warn = sinon.stub(diag, 'warn');
  });
  afterEach(() => warn.restore());

  it('one short line naming the destination and the reason; the same line at most once a minute', () => {
    let now = 0;
    const reporter = new ExportFailureReporter('http://127.0.0.1:4318/v1/traces', 60_000, () => now);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318\n    at TCPConnectWrap'), { code: 'ECONNREFUSED' });
    reporter.failed(refused);
    now = 59_999;
    reporter.failed(refused);
    now = 60_000;
    reporter.failed(refused);
    reporter.timedOut(2000);
    expect(warn.args).to.deep.equal([
      ['@infinium/otel: spans could not be exported to http://127.0.0.1:4318/v1/traces: connect ECONNREFUSED 127.0.0.1:4318'],
      ['@infinium/otel: spans could not be exported to http://127.0.0.1:4318/v1/traces: connect ECONNREFUSED 127.0.0.1:4318'],
      ['@infinium/otel: the last spans could not be exported to http://127.0.0.1:4318/v1/traces within 2000 ms; not waiting any longer'],
    ]);
  });

  it('shortReason: first line, the code when missing, the first of an AggregateError, anything else', () => {
    expect(shortReason(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).to.equal('socket hang up (ECONNRESET)');
    const both = new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:4318'), { code: 'ECONNREFUSED' })], '');
    expect(shortReason(both)).to.equal('connect ECONNREFUSED ::1:4318');
    expect(shortReason('Timeout\nstack')).to.equal('Timeout');
    expect(shortReason({ weird: true })).to.equal('unknown error');
  });
});
