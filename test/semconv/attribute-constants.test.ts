import { MimeType as PackageMimeType, OpenInferenceSpanKind as PackageSpanKind, SemanticConventions } from '@arizeai/openinference-semantic-conventions';
import { ATTR_ERROR_TYPE as PACKAGE_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { expect } from 'chai';
import { ATTR_ERROR_TYPE, MimeType, OI, OpenInferenceSpanKind } from '../../lib/semconv/attributes';

/**
 * lib/semconv/attributes.ts spells the conventions' keys out as values, so that start-up does not load the
 * packages' entries: each must be the package's own constant, key for key.
 */
describe('attribute keys spelled out in lib/semconv', () => {
  function expectSameEntries(ours: Readonly<Record<string, string>>, theirs: Readonly<Record<string, unknown>>): void {
    for (const [name, value] of Object.entries(ours)) expect({ [name]: value }).to.deep.equal({ [name]: theirs[name] });
  }

  it('every OpenInference key equals @arizeai/openinference-semantic-conventions\' SemanticConventions', () => {
    expect(Object.keys(OI)).to.have.length.greaterThan(100);
    expectSameEntries(OI, SemanticConventions);
  });

  it('every key the package has is spelled out (a new one is added here before it is used)', () => {
    expect(Object.keys(SemanticConventions).filter((name) => !(name in OI))).to.deep.equal([]);
  });

  it('the span kinds and MIME types equal the package\'s enums', () => {
    expect(OpenInferenceSpanKind).to.deep.equal({ ...PackageSpanKind });
    expect(MimeType).to.deep.equal({ ...PackageMimeType });
  });

  it('error.type equals @opentelemetry/semantic-conventions\' ATTR_ERROR_TYPE', () => {
    expect(ATTR_ERROR_TYPE).to.equal(PACKAGE_ERROR_TYPE);
  });
});
