import { expect } from 'chai';
import zlib from 'node:zlib';
import { Forwarder } from '../../lib/viewer/forward';
import { HeaderError, forwardHeaders } from '../../lib/viewer/forward-headers';
import { UsageError, parseViewerArgs } from '../../lib/viewer/options';
import type { FakeCollector } from './fake-collector';
import { startFakeCollector } from './fake-collector';

/** `--forward`'s headers and its relay against a local collector that answers, fails, hangs or is gone (in-process, any Node). */
describe('viewer: --forward headers and the relay', function () {
  this.timeout(30_000);
  const SECRET = 'sk-never-printed-41';

  describe('headers from OTEL_EXPORTER_OTLP_HEADERS and --forward-header', () => {
    it('reads the OTel key=value list percent-decoded, the traces variable over it, the flags over both', () => {
      const env = {
        OTEL_EXPORTER_OTLP_HEADERS: ' api-key = abc%2Cdef%3D , x-team=core%20team,,Authorization=Bearer%20from-env',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=traces%20team',
      };
      expect(forwardHeaders(['authorization: Bearer from-flag', 'X-Empty:', 'x-colon: a:b: c '], env)).to.deep.equal({
        'api-key': 'abc,def=',
        'x-team': 'traces team',
        authorization: 'Bearer from-flag',
        'X-Empty': '',
        'x-colon': 'a:b: c',
      });
      expect(forwardHeaders([], {})).to.deep.equal({});
    });

    it('refuses a bad header in one line that names it by position, never quoting a value', () => {
      const cases: Array<[string[], NodeJS.ProcessEnv, string]> = [
        [[`Bearer ${SECRET}`], {}, '--forward-header #1 must be "Name: value" (e.g. "Authorization: Bearer <key>"), and has no name before a colon'],
        [['x-ok: 1', `Bad Name: ${SECRET}`], {}, "--forward-header #2: the name is no header name (letters, digits and !#$%&'*+-.^_`|~ only)"],
        [[`x-key: ${SECRET}\r\nx-injected: 1`], {}, '--forward-header #1: the value of x-key holds a line break or control character'],
        [[`Content-Type: text/plain`], {}, '--forward-header #1: Content-Type is set by the relay (the body goes on as received)'],
        [[], { OTEL_EXPORTER_OTLP_HEADERS: `a=1,${SECRET}` }, 'OTEL_EXPORTER_OTLP_HEADERS entry 2 must be name=value'],
        [[], { OTEL_EXPORTER_OTLP_TRACES_HEADERS: `k=${SECRET}%zz` }, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS entry 1: its value is not valid percent-encoding'],
        [[], { OTEL_EXPORTER_OTLP_HEADERS: `k=${SECRET}%0A` }, 'OTEL_EXPORTER_OTLP_HEADERS entry 1: the value of k holds a line break or control character'],
      ];
      for (const [flags, env, message] of cases) {
        expect(() => forwardHeaders(flags, env)).to.throw(HeaderError).with.property('message', message);
        expect(message).not.to.contain(SECRET);
      }
    });

    it('takes the headers only with --forward, as UsageErrors (exit code 2)', () => {
      const env = { OTEL_EXPORTER_OTLP_HEADERS: 'x-team=a%20b' };
      expect(parseViewerArgs(['--forward', 'http://c:4318', '--forward-header', 'X-Key: k1', '--forward-header', 'x-key: k2'], env)).to.deep.include({
        forward: 'http://c:4318',
        forwardHeaders: { 'x-team': 'a b', 'x-key': 'k2' },
      });
      expect(parseViewerArgs([], env)).to.deep.include({ forward: null, forwardHeaders: {} });
      expect(() => parseViewerArgs(['--forward-header', 'X-Key: k'], {})).to.throw(UsageError, '--forward-header needs --forward <url>');
      expect(() => parseViewerArgs(['--forward', 'http://c', '--forward-header', 'nocolon'], {})).to.throw(UsageError, '--forward-header #1 must be');
      expect(() => parseViewerArgs(['--forward', 'http://c'], { OTEL_EXPORTER_OTLP_HEADERS: 'bad' })).to.throw(UsageError, 'OTEL_EXPORTER_OTLP_HEADERS entry 1');
      // A bad --forward is not quoted either: a URL may carry a key.
      expect(() => parseViewerArgs(['--forward', `ftp://u:${SECRET}@c`], {})).to.throw(UsageError).with.property('message', '--forward must be an http(s) URL, not ftp:');
      expect(() => parseViewerArgs(['--forward', `c:${SECRET}@`], {})).to.throw(UsageError).with.property('message', '--forward must be an http(s) URL, not c:');
      expect(() => parseViewerArgs(['--forward', `${SECRET} c`], {})).to.throw(UsageError).with.property('message', '--forward must be an http(s) URL, and this is no URL');
    });
  });

  describe('the relay', () => {
    let collector: FakeCollector;
    const lines: string[] = [];
    const log = (line: string): void => void lines.push(line);
    beforeEach(async () => {
      collector = await startFakeCollector();
      lines.length = 0;
    });
    afterEach(() => collector.close());

    it('sends the body, content type and encoding as received, with exactly the configured headers', async () => {
      const forward = new Forwarder(`${collector.url}/otlp`, { log, headers: { Authorization: `Bearer ${SECRET}`, 'x-team': 'core' } });
      const body = zlib.gzipSync(Buffer.from('{"resourceSpans":[]}'));
      forward.relay(body, 'application/json; charset=utf-8', 'gzip');
      await forward.drained();
      expect(collector.received).to.have.length(1);
      const [got] = collector.received;
      expect(got.url).to.equal('/otlp/v1/traces');
      expect(got.body.equals(body)).to.equal(true);
      const { connection, ...headers } = got.headers;
      expect(headers).to.deep.equal({
        authorization: `Bearer ${SECRET}`,
        'x-team': 'core',
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(body.length),
        'content-encoding': 'gzip',
        host: `127.0.0.1:${collector.port}`,
      });
      expect(connection).to.be.oneOf(['keep-alive', 'close']); // the Node version's agent default
      expect(forward.stats).to.deep.equal({ sent: 1, failed: 0, dropped: 0 });
      expect(lines).to.deep.equal([]);
      await forward.close();
    });

    it('at exit, lets what is queued go on within the grace time', async () => {
      const forward = new Forwarder(collector.url, { log, concurrency: 1 });
      for (let i = 0; i < 3; i++) forward.relay(Buffer.from(`q${i}`), 'application/x-protobuf', 'identity');
      await forward.close();
      expect(collector.received.map((r) => r.body.toString())).to.deep.equal(['q0', 'q1', 'q2']);
      expect([forward.stats, lines]).to.deep.equal([{ sent: 3, failed: 0, dropped: 0 }, []]);
    });

    it('warns once when the target fails, not per export, and once when it works again; never a header value', async () => {
      const forward = new Forwarder(collector.url, { log, headers: { 'x-key': SECRET } });
      collector.status = 503;
      for (let i = 0; i < 4; i++) forward.relay(Buffer.from(`b${i}`), 'application/x-protobuf', 'identity');
      await forward.drained();
      collector.mode = 'reset';
      forward.relay(Buffer.from('b4'), 'application/x-protobuf', 'identity');
      await forward.drained();
      collector.mode = 'status';
      collector.status = 200;
      forward.relay(Buffer.from('b5'), 'application/x-protobuf', 'identity');
      await forward.drained();
      expect(collector.attempts).to.equal(6);
      expect(forward.stats).to.deep.equal({ sent: 1, failed: 5, dropped: 0 });
      expect(lines).to.deep.equal([
        `viewer: forwarding to ${collector.url}/v1/traces failing (HTTP 503); the viewer keeps every trace, and says so here when forwarding works again`,
        `viewer: forwarding to ${collector.url}/v1/traces works again (5 export(s) failed, 0 dropped meanwhile)`,
      ]);
      expect(lines.join('\n')).not.to.contain(SECRET);
      await forward.close();
    });

    it('a target that is gone: every export fails fast, one warning; the URL printed without credentials or query', async () => {
      await collector.close();
      const forward = new Forwarder(`http://user:${SECRET}@127.0.0.1:${collector.port}/?key=${SECRET}`, { log });
      for (let i = 0; i < 3; i++) forward.relay(Buffer.from('x'), 'application/x-protobuf', 'identity');
      await forward.drained();
      expect(forward.stats).to.deep.equal({ sent: 0, failed: 3, dropped: 0 });
      expect(lines).to.deep.equal([
        `viewer: forwarding to http://127.0.0.1:${collector.port}/v1/traces failing (connect ECONNREFUSED 127.0.0.1:${collector.port}); the viewer keeps every trace, and says so here when forwarding works again`,
      ]);
      await forward.close();
    });

    it('a stuck target: each export given timeoutMs in all, the queue bounded in bytes, and the exit bounded by closeGraceMs', async () => {
      collector.mode = 'hang';
      // A timeout only a stuck target reaches (it never answers): no race with a busy machine.
      const timing = new Forwarder(collector.url, { log, timeoutMs: 300 });
      timing.relay(Buffer.from('t'), 'application/x-protobuf', 'identity');
      await timing.drained();
      expect(timing.stats).to.deep.equal({ sent: 0, failed: 1, dropped: 0 });
      expect(lines).to.deep.equal([
        `viewer: forwarding to ${collector.url}/v1/traces failing (no answer within 300 ms); the viewer keeps every trace, and says so here when forwarding works again`,
      ]);

      lines.length = 0;
      const bounded = new Forwarder(collector.url, { log, concurrency: 1, maxQueuedBytes: 250, timeoutMs: 600_000, closeGraceMs: 200 });
      // The first goes out at once (in flight, out of the queue); two wait (200 bytes); the rest do not fit.
      for (let i = 0; i < 5; i++) bounded.relay(Buffer.alloc(100, i), 'application/x-protobuf', 'identity');
      expect(bounded.stats).to.deep.equal({ sent: 0, failed: 0, dropped: 2 });
      const closing = Date.now();
      await bounded.close();
      expect(Date.now() - closing).to.be.lessThan(15_000);
      bounded.relay(Buffer.from('after close'), 'application/x-protobuf', 'identity');
      expect(bounded.stats).to.deep.equal({ sent: 0, failed: 1, dropped: 4 });
      expect(lines).to.deep.equal([
        `viewer: forwarding to ${collector.url}/v1/traces failing (the forward queue is full); the viewer keeps every trace, and says so here when forwarding works again`,
        `viewer: forwarding to ${collector.url}/v1/traces: 3 export(s) not forwarded at exit`,
      ]);
      await timing.close();
    });
  });
});
