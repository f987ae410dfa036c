import { expect } from 'chai';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { createCallRecord } from '../../lib/record/call-record';
import { isTokenCount, saneUsage, tokenSum } from '../../lib/record/usage';

/** `diag.warn` lines while `fn` runs. */
function warnings(fn: () => void): string[] {
  const lines: string[] = [];
  const quiet = () => {};
  diag.setLogger({ error: quiet, warn: (m: string) => void lines.push(m), info: quiet, debug: quiet, verbose: quiet }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  try {
    fn();
  } finally {
    diag.disable();
  }
  return lines;
}

describe('record: token counts are sane or absent (lib/record/usage.ts)', () => {
  it('a token count is an integer from 0 to 1e12', () => {
    expect([0, 1, 1e12].map(isTokenCount)).to.deep.equal([true, true, true]);
    expect([-1, 1.5, 1e12 + 1, 4e15, Infinity, Number.NaN, '12', undefined].map(isTokenCount)).to.deep.equal(Array(8).fill(false));
  });

  it('a sum is made of sane parts only: 11 + -11 is no count (not 0), and neither is a sum past the bound', () => {
    expect(tokenSum(11, 20, 3)).to.equal(34);
    expect(tokenSum(11, undefined)).to.equal(11);
    expect(tokenSum(undefined, undefined)).to.equal(undefined);
    expect(tokenSum(11, -11)).to.be.NaN;
    expect(tokenSum(11, 4e15)).to.be.NaN;
    expect(tokenSum(6e11, 6e11)).to.be.NaN;
  });

  it('saneUsage keeps a sane usage as the same object', () => {
    const usage = { prompt: 10, completion: 5, total: 15, cacheRead: 4, reasoning: 2 };
    expect(saneUsage(usage)).to.equal(usage);
  });

  it('drops bad counts, details larger than their whole, and a total under prompt + completion, in one diag line', () => {
    let sane;
    const lines = warnings(() => {
      sane = saneUsage({ prompt: 10, completion: 4e15, total: 12, cacheRead: 11, cacheWrite: 3, reasoning: -1, promptAudio: 2 });
    });
    // The total is not under prompt + completion once the absurd completion is gone.
    expect(sane).to.deep.equal({ prompt: 10, total: 12, cacheWrite: 3, promptAudio: 2 });
    expect(lines).to.deep.equal([
      '@infinium/otel: token counts left out (not integers from 0 to 1000000000000, or not adding up): completion 4000000000000000, reasoning -1, cacheRead 11 (over prompt 10)',
    ]);
    expect(saneUsage({ prompt: 10, completion: 5, total: 12 }, false)).to.deep.equal({ prompt: 10, completion: 5 });
  });

  it('the record checks every usage assigned to it, and says so once per call', () => {
    const record = createCallRecord('LLM', 'chat', 'groq', 'openai');
    const lines = warnings(() => {
      record.usage = { prompt: 4e15, completion: 7 };
      record.usage = { prompt: -1, completion: 8 };
    });
    expect(record.usage).to.deep.equal({ completion: 8 });
    expect(lines).to.have.length(1);
  });
});
