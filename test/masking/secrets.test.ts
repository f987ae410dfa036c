import { expect } from 'chai';
import { boundedErrorText, redactSecrets } from '../../lib/masking/secrets';
import { boundedException, boundSpanErrorText, errorMessageText } from '../../lib/masking/error-text';
import { maskAttribute } from '../../lib/masking/mask';
import { resolveTraceConfig } from '../../lib/masking/trace-config';

describe('secrets in error text', () => {
  it('replaces each key shape and a bearer token, whatever surrounds it', () => {
    const keys = [
      'sk-proj-Abc123def456GHI789', 'sk-ant-api03-abcDEF123456_-xyz', 'xai-AbCdEf1234567890', 'gsk_AbCdEf1234567890wxyz',
      'AIzaSyD-abcdefghijklmnopqrstuvwx12345', 'AKIAIOSFODNN7EXAMPLE', 'sk-test-secret-123',
    ];
    for (const key of keys) {
      expect(redactSecrets(`Incorrect API key provided: ${key}.`), key).to.equal('Incorrect API key provided: __REDACTED__.');
      expect(redactSecrets(`{"key":"${key}"}`), key).to.equal('{"key":"__REDACTED__"}');
    }
    expect(redactSecrets('Authorization: Bearer eyJhbGciOi.J9x_y-z')).to.equal('Authorization: Bearer __REDACTED__');
    expect(redactSecrets('header authorization: bearer 0123456789abcdef')).to.equal('header authorization: bearer __REDACTED__');
    expect(redactSecrets('test-key-AIzaSyFAKE-000')).to.equal('test-key-__REDACTED__');
  });

  it('leaves ordinary text alone (same string), including the prefixes inside words and short hints', () => {
    for (const text of ['task-list-items are due', 'desk-organizer', 'Incorrect API key provided: sk-test-********123', 'mask-', 'Bearer of bad news', 'xai-x']) {
      expect(redactSecrets(text), text).to.equal(text);
    }
  });

  it('caps long error text with the marker, redacting a key that straddles the cut', () => {
    const key = 'sk-ant-test-secret-123';
    const text = 'a'.repeat(99_990) + key + 'b'.repeat(5_000_000);
    const bounded = boundedErrorText(text, 100_000);
    expect(bounded.length).to.equal(100_000);
    expect(bounded).to.not.contain('sk-ant');
    expect(bounded.endsWith(`…[truncated: ${text.length} chars]`)).to.equal(true);
    expect(boundedErrorText('short', 100)).to.equal('short');
  });

  it('an exception is recorded as its capped, redacted parts (type and code kept); a thrown string too', () => {
    const error = Object.assign(new Error(`401 key=gsk_AbCdEf1234567890wxyz ${'z'.repeat(100)}`), { name: 'AuthenticationError', code: 'invalid_api_key' });
    const exception = boundedException(error, 60) as { name: string; message: string; stack: string; code: string };
    expect(exception.name).to.equal('AuthenticationError');
    expect(exception.code).to.equal('invalid_api_key');
    const marker = `…[truncated: ${error.message.length} chars]`;
    const head = '401 key=__REDACTED__ ';
    expect(exception.message).to.equal(head + 'z'.repeat(60 - head.length - marker.length) + marker);
    expect(exception.message.length).to.equal(60);
    expect(exception.stack.length).to.equal(60);
    expect(exception.stack).to.not.contain('gsk_');
    expect(boundedException('thrown xai-AbCdEf1234567890', 100)).to.equal('thrown __REDACTED__');
    expect(errorMessageText({ message: 'not an Error' }, 100)).to.equal(undefined);
  });

  it('never throws on a hostile error: a throwing message getter gives no message', () => {
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', { get: () => { throw new Error('boom'); } });
    expect(errorMessageText(hostile, 100)).to.equal(undefined);
  });

  it('credential headers are redacted by the one masking function even when nothing is hidden', () => {
    const config = resolveTraceConfig({}, {});
    expect(config.showsEverything).to.equal(true);
    expect(maskAttribute(config, 'ai.request.headers.authorization', 'Bearer abc')).to.equal('__REDACTED__');
    expect(maskAttribute(config, 'http.request.header.x-api-key', ['k'])).to.equal('__REDACTED__');
    expect(maskAttribute(config, 'http.request.header.accept', ['*/*'])).to.deep.equal(['*/*']);
  });
});

describe('bounded exceptions from hostile errors', () => {
  it("an error's name is capped like its message: the AWS SDK names an error after the body's `code` (5 MB here)", () => {
    const code = 'Throttling' + 'x'.repeat(5_000_000);
    const error = Object.assign(new Error('slow down'), { name: code });
    const exception = boundedException(error, 100) as { name: string; message: string };
    expect(exception.name).to.equal(code.slice(0, 100 - `…[truncated: ${code.length} chars]`.length) + `…[truncated: ${code.length} chars]`);
    expect(exception.message).to.equal('slow down');
    const unnamed = Object.assign(new Error('x'), { name: Symbol('odd') });
    expect((boundedException(unnamed, 100) as { name: string }).name).to.equal('Error');
  });

  it('the processor caps exception.type on any span, as it does the message and stack', () => {
    const code = 'Throttling' + 'x'.repeat(5_000_000);
    const span = { status: { code: 0 }, events: [{ name: 'exception', attributes: { 'exception.type': code, 'exception.message': 'm' } }] };
    boundSpanErrorText(span as unknown as Parameters<typeof boundSpanErrorText>[0], 100);
    expect((span.events[0].attributes['exception.type'] as string).length).to.equal(100);
    expect(span.events[0].attributes['exception.message']).to.equal('m');
  });

  it('a throwing getter or toString gives a placeholder, never a throw', () => {
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'stack', { get: () => { throw new Error('boom'); } });
    expect(boundedException(hostile, 100)).to.deep.equal({ name: 'Error', message: 'the error could not be read' });
    const bad = { toString: () => { throw new Error('boom'); } };
    expect(boundedException(bad, 100)).to.deep.equal({ name: 'Error', message: 'the error could not be read' });
  });
});
