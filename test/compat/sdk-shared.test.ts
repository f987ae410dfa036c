import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import * as core3 from '@opentelemetry/core';
import { expect } from 'chai';
import { createRequire } from 'node:module';
import { EXPORT_SUCCESS, hrTimeToMicroseconds, hrTimeToMilliseconds, hrTimeToNanoseconds, isTracingSuppressed } from '../../lib/compat/sdk-shared';

/** The 2.x line's core, as the Arize instrumentation nests it: a second copy and an older major. */
const core2 = createRequire(require.resolve('@arizeai/openinference-instrumentation-openai'))('@opentelemetry/core') as typeof core3;

describe('compat/sdk-shared: what we use of @opentelemetry/core, without importing it', () => {
  it('the two cores are different copies of different majors (the premise of the next test)', () => {
    expect(core2).to.not.equal(core3);
    expect(createRequire(require.resolve('@arizeai/openinference-instrumentation-openai'))('@opentelemetry/core/package.json').version).to.match(/^2\./);
  });

  for (const [line, core] of [['3.x', core3], ['2.x', core2]] as const) {
    it(`isTracingSuppressed reads the key that core ${line}'s suppressTracing sets, and agrees with its own check`, () => {
      const suppressed = core.suppressTracing(context.active());
      expect([isTracingSuppressed(suppressed), core.isTracingSuppressed(suppressed)]).to.deep.equal([true, true]);
      const unsuppressed = core.unsuppressTracing(suppressed);
      expect([isTracingSuppressed(unsuppressed), isTracingSuppressed(ROOT_CONTEXT)]).to.deep.equal([false, false]);
    });
  }

  it('hrTime conversions give what core gives', () => {
    for (const time of [[0, 0], [1, 500_000_000], [12, 345_678_901], [1_700_000_000, 999_999_999]] as Array<[number, number]>) {
      expect(hrTimeToNanoseconds(time)).to.equal(core3.hrTimeToNanoseconds(time));
      expect(hrTimeToMicroseconds(time)).to.equal(core3.hrTimeToMicroseconds(time));
      expect(hrTimeToMilliseconds(time)).to.equal(core3.hrTimeToMilliseconds(time));
    }
  });

  it('EXPORT_SUCCESS is ExportResultCode.SUCCESS on both lines', () => {
    expect([core3.ExportResultCode.SUCCESS, core2.ExportResultCode.SUCCESS]).to.deep.equal([EXPORT_SUCCESS, EXPORT_SUCCESS]);
  });
});
