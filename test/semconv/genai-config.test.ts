import { expect } from 'chai';
import { resolveConventions } from '../../lib/config/semconv';

describe('resolveConventions (INFINIUM_SEMCONV, OTEL_SEMCONV_STABILITY_OPT_IN, the semconv option)', () => {
  it('defaults to OpenInference only', () => {
    expect(resolveConventions({}, {})).to.deep.equal({ openInference: true, genAi: false });
  });

  it('reads INFINIUM_SEMCONV as a comma list', () => {
    expect(resolveConventions({}, { INFINIUM_SEMCONV: 'gen_ai' })).to.deep.equal({ openInference: false, genAi: true });
    expect(resolveConventions({}, { INFINIUM_SEMCONV: ' OpenInference , gen_ai ' })).to.deep.equal({ openInference: true, genAi: true });
  });

  it('gen_ai_latest_experimental in OTEL_SEMCONV_STABILITY_OPT_IN adds gen_ai', () => {
    expect(resolveConventions({}, { OTEL_SEMCONV_STABILITY_OPT_IN: 'http,gen_ai_latest_experimental' })).to.deep.equal({ openInference: true, genAi: true });
    expect(resolveConventions({}, { OTEL_SEMCONV_STABILITY_OPT_IN: 'http', INFINIUM_SEMCONV: 'openinference' })).to.deep.equal({ openInference: true, genAi: false });
  });

  it('the option in code wins over the environment, as a list or a string', () => {
    const env = { INFINIUM_SEMCONV: 'openinference', OTEL_SEMCONV_STABILITY_OPT_IN: 'gen_ai_latest_experimental' };
    expect(resolveConventions({ semconv: ['gen_ai'] }, env)).to.deep.equal({ openInference: false, genAi: true });
    expect(resolveConventions({ semconv: 'openinference' }, env)).to.deep.equal({ openInference: true, genAi: false });
  });

  it('unknown names are ignored; a list of nothing known falls back', () => {
    expect(resolveConventions({}, { INFINIUM_SEMCONV: 'otel,gen_ai' })).to.deep.equal({ openInference: false, genAi: true });
    expect(resolveConventions({}, { INFINIUM_SEMCONV: 'nonsense' })).to.deep.equal({ openInference: true, genAi: false });
    expect(resolveConventions({ semconv: 'nonsense' }, { INFINIUM_SEMCONV: 'gen_ai' })).to.deep.equal({ openInference: false, genAi: true });
  });
});
