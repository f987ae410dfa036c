import { expect } from 'chai';
import sinon from 'sinon';
import { diag } from '@opentelemetry/api';
import { DEFAULT_BASE64_IMAGE_MAX_LENGTH, resolveTraceConfig, TraceConfigOptions } from '../../lib/masking/trace-config';

type Flag = Exclude<keyof TraceConfigOptions, 'base64ImageMaxLength'>;

/** Every flag, the variable(s) that set it (spelled out here on purpose: the names are the contract) and its default. */
const FLAGS: ReadonlyArray<{ flag: Flag; envs: string[]; fallback: boolean }> = [
  { flag: 'captureContent', envs: ['INFINIUM_CAPTURE_CONTENT'], fallback: true },
  { flag: 'hideInputs', envs: ['OPENINFERENCE_HIDE_INPUTS'], fallback: false },
  { flag: 'hideOutputs', envs: ['OPENINFERENCE_HIDE_OUTPUTS'], fallback: false },
  { flag: 'hideInputMessages', envs: ['OPENINFERENCE_HIDE_INPUT_MESSAGES'], fallback: false },
  { flag: 'hideOutputMessages', envs: ['OPENINFERENCE_HIDE_OUTPUT_MESSAGES'], fallback: false },
  { flag: 'hideInputImages', envs: ['OPENINFERENCE_HIDE_INPUT_IMAGES'], fallback: false },
  { flag: 'hideInputText', envs: ['OPENINFERENCE_HIDE_INPUT_TEXT'], fallback: false },
  { flag: 'hideOutputText', envs: ['OPENINFERENCE_HIDE_OUTPUT_TEXT'], fallback: false },
  { flag: 'hideLlmTools', envs: ['OPENINFERENCE_HIDE_LLM_TOOLS'], fallback: false },
  { flag: 'hideLlmInvocationParameters', envs: ['OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS'], fallback: false },
  { flag: 'hidePrompts', envs: ['OPENINFERENCE_HIDE_PROMPTS'], fallback: false },
  { flag: 'hideChoices', envs: ['OPENINFERENCE_HIDE_CHOICES'], fallback: false },
  { flag: 'hideEmbeddingsVectors', envs: ['OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS', 'OPENINFERENCE_HIDE_EMBEDDING_VECTORS'], fallback: false },
  { flag: 'hideEmbeddingsText', envs: ['OPENINFERENCE_HIDE_EMBEDDINGS_TEXT'], fallback: false },
];

/** The flags `captureContent: false` forces on. */
const CONTENT_FLAGS: Flag[] = [
  'hideInputText', 'hideOutputText', 'hideInputImages', 'hidePrompts', 'hideChoices', 'hideEmbeddingsVectors', 'hideEmbeddingsText',
];

/** The config bad-value warnings are deduplicated process-wide, so each test uses a value never seen before. */
let badValueCounter = 0;
const freshBadValue = () => `maybe-${process.pid}-${++badValueCounter}`;

describe('resolveTraceConfig', () => {
  afterEach(() => sinon.restore());

  it('defaults: content captured, nothing hidden, 32000-char images, showsEverything', () => {
    const config = resolveTraceConfig({}, {});
    for (const { flag, fallback } of FLAGS) expect(config[flag], flag).to.equal(fallback);
    expect(config.base64ImageMaxLength).to.equal(32000);
    expect(DEFAULT_BASE64_IMAGE_MAX_LENGTH).to.equal(32000);
    expect(config.showsEverything).to.equal(true);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  for (const { flag, envs, fallback } of FLAGS) {
    describe(flag, () => {
      for (const env of envs) {
        it(`${env} sets it when no options are passed at all`, () => {
          expect(resolveTraceConfig(undefined, { [env]: String(!fallback) })[flag]).to.equal(!fallback);
          expect(resolveTraceConfig(undefined, { [env]: String(fallback) })[flag]).to.equal(fallback);
        });
        it(`the option in code wins over ${env}`, () => {
          expect(resolveTraceConfig({ [flag]: fallback }, { [env]: String(!fallback) })[flag]).to.equal(fallback);
          expect(resolveTraceConfig({ [flag]: !fallback }, { [env]: String(fallback) })[flag]).to.equal(!fallback);
        });
      }
      it('the option in code wins over the default', () => {
        expect(resolveTraceConfig({ [flag]: !fallback }, {})[flag]).to.equal(!fallback);
      });
      it('an option that is not a boolean is ignored (env, then default)', () => {
        const bogus = { [flag]: 'yes' } as unknown as TraceConfigOptions;
        expect(resolveTraceConfig(bogus, {})[flag]).to.equal(fallback);
        expect(resolveTraceConfig(bogus, { [envs[0]]: String(!fallback) })[flag]).to.equal(!fallback);
      });
    });
  }

  it('the new spelling OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS wins over the old one when both are set', () => {
    const env = { OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS: 'false', OPENINFERENCE_HIDE_EMBEDDING_VECTORS: 'true' };
    expect(resolveTraceConfig({}, env).hideEmbeddingsVectors).to.equal(false);
  });

  it('reads process.env when no env is passed', () => {
    const saved = process.env.OPENINFERENCE_HIDE_OUTPUTS;
    process.env.OPENINFERENCE_HIDE_OUTPUTS = 'true';
    try {
      const config = resolveTraceConfig();
      expect(config.hideOutputs).to.equal(true);
      expect(config.showsEverything).to.equal(false);
    } finally {
      if (saved === undefined) delete process.env.OPENINFERENCE_HIDE_OUTPUTS;
      else process.env.OPENINFERENCE_HIDE_OUTPUTS = saved;
    }
  });

  it('accepts 1/0, yes/no, on/off in any case and with blanks; empty means unset', () => {
    const read = (raw: string) => resolveTraceConfig({}, { OPENINFERENCE_HIDE_INPUTS: raw }).hideInputs;
    for (const raw of ['true', 'TRUE', ' 1 ', 'yes', 'On']) expect(read(raw), raw).to.equal(true);
    for (const raw of ['false', 'False', '0', 'no', 'OFF']) expect(read(raw), raw).to.equal(false);
    expect(read('')).to.equal(false);
    expect(read('   ')).to.equal(false);
  });

  it('INFINIUM_CAPTURE_CONTENT=false turns every content flag on, and leaves structure flags alone', () => {
    const config = resolveTraceConfig(undefined, { INFINIUM_CAPTURE_CONTENT: 'false' });
    expect(config.captureContent).to.equal(false);
    for (const flag of CONTENT_FLAGS) expect(config[flag], flag).to.equal(true);
    for (const flag of ['hideInputs', 'hideOutputs', 'hideInputMessages', 'hideOutputMessages', 'hideLlmTools', 'hideLlmInvocationParameters'] as Flag[]) {
      expect(config[flag], flag).to.equal(false);
    }
    expect(config.showsEverything).to.equal(false);
  });

  it('captureContent: false in code wins over INFINIUM_CAPTURE_CONTENT=true, and a content flag cannot re-open it', () => {
    const config = resolveTraceConfig({ captureContent: false, hideInputText: false }, { INFINIUM_CAPTURE_CONTENT: 'true' });
    expect(config.captureContent).to.equal(false);
    expect(config.hideInputText).to.equal(true);
  });

  it("a bad boolean ('maybe') falls back to the env-less default with exactly one diag warning", () => {
    const warn = sinon.spy(diag, 'warn');
    const bad = freshBadValue();
    expect(resolveTraceConfig({}, { OPENINFERENCE_HIDE_INPUTS: bad }).hideInputs).to.equal(false);
    expect(resolveTraceConfig({}, { OPENINFERENCE_HIDE_INPUTS: bad }).hideInputs).to.equal(false);
    expect(resolveTraceConfig({}, { INFINIUM_CAPTURE_CONTENT: 'maybe-not' + bad }).captureContent).to.equal(true);
    expect(warn.callCount).to.equal(2);
    expect(warn.firstCall.args[0]).to.contain('OPENINFERENCE_HIDE_INPUTS').and.contain(bad);
  });

  it('a bad boolean does not hide the old spelling behind it', () => {
    sinon.stub(diag, 'warn');
    const env = { OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS: freshBadValue(), OPENINFERENCE_HIDE_EMBEDDING_VECTORS: 'true' };
    expect(resolveTraceConfig({}, env).hideEmbeddingsVectors).to.equal(true);
  });

  describe('base64ImageMaxLength', () => {
    it('option > OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH > 32000', () => {
      expect(resolveTraceConfig({ base64ImageMaxLength: 100 }, { OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH: '200' }).base64ImageMaxLength).to.equal(100);
      expect(resolveTraceConfig(undefined, { OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH: '200' }).base64ImageMaxLength).to.equal(200);
      expect(resolveTraceConfig({ base64ImageMaxLength: 0 }, {}).base64ImageMaxLength).to.equal(0);
    });

    it('an invalid option (negative, fractional, NaN) falls through to env, then default', () => {
      for (const bad of [-1, 1.5, Number.NaN]) {
        expect(resolveTraceConfig({ base64ImageMaxLength: bad }, { OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH: '300' }).base64ImageMaxLength).to.equal(300);
        expect(resolveTraceConfig({ base64ImageMaxLength: bad }, {}).base64ImageMaxLength).to.equal(32000);
      }
    });

    it('an invalid variable gives the default and one warning', () => {
      const warn = sinon.spy(diag, 'warn');
      const bad = `-${++badValueCounter}`;
      expect(resolveTraceConfig({}, { OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH: bad }).base64ImageMaxLength).to.equal(32000);
      expect(resolveTraceConfig({}, { OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH: bad }).base64ImageMaxLength).to.equal(32000);
      expect(warn.callCount).to.equal(1);
      expect(warn.firstCall.args[0]).to.contain('OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH');
    });
  });
});
