import { expect } from 'chai';
import type { AttributeValue } from '@opentelemetry/api';
import { truncateText } from '../../lib/config/text-cap';
import { maskAttribute } from '../../lib/masking/mask';
import { resolveTraceConfig, TraceConfig, TraceConfigOptions } from '../../lib/masking/trace-config';
import { AttributeSink, SPAN_TEXT_BUDGET_FACTOR } from '../../lib/semconv/attribute-sink';

/**
 * Whatever shortcut the sink takes (a fast path for the default configuration was tried, issue 27,
 * docs/performance.md), it must write exactly what the masking followed by the text budget writes. The
 * reference below is that path, spelled out: every attribute through `maskAttribute`, then charged.
 */
function reference(config: TraceConfig, puts: Array<[string, AttributeValue]>): Array<[string, AttributeValue]> {
  let textLeft = config.maxAttributeLength * SPAN_TEXT_BUDGET_FACTOR;
  const out: Array<[string, AttributeValue]> = [];
  for (const [key, value] of puts) {
    const masked = maskAttribute(config, key, value);
    if (masked === undefined) continue;
    let charged: AttributeValue | undefined = masked;
    if (typeof masked === 'string') {
      const allowed = Math.max(textLeft, 40);
      const text = masked.length > allowed ? truncateText(masked, allowed) : masked;
      textLeft -= text.length;
      charged = text;
    } else if (Array.isArray(masked)) {
      let cost = 0;
      for (const item of masked) cost += typeof item === 'string' ? item.length : 4;
      if (cost > textLeft && masked.length > 0 && typeof masked[0] !== 'string') charged = undefined;
      else textLeft -= cost;
    }
    if (charged !== undefined) out.push([key, charged]);
  }
  return out;
}

function throughSink(config: TraceConfig, puts: Array<[string, AttributeValue]>): { written: Array<[string, AttributeValue]>; count: number } {
  const written: Array<[string, AttributeValue]> = [];
  const sink = new AttributeSink(config, { setAttribute: (key, value) => written.push([key, value]) });
  for (const [key, value] of puts) sink.put(key, value);
  return { written, count: sink.count };
}

const image = `data:image/png;base64,${'A'.repeat(300)}`;
const KEYS = [
  'llm.model_name',
  'llm.token_count.completion',
  'llm.finish_reason',
  'input.value',
  'output.value',
  'llm.input_messages.0.message.content',
  'llm.input_messages.0.message.role',
  'llm.input_messages.0.message.contents.0.message_content.image.image.url',
  'llm.invocation_parameters',
  'llm.tools.0.tool.json_schema',
  'embedding.embeddings.0.embedding.vector',
  'http.request.header.authorization',
  'x.api_key',
];
const VALUES: AttributeValue[] = [
  0,
  19,
  0.2,
  Number.NaN,
  true,
  false,
  '',
  'stop',
  'x'.repeat(39),
  'x'.repeat(41),
  'y'.repeat(120),
  'z'.repeat(1000),
  image,
  '{"model":"gpt-4o-mini","temperature":0.2}',
  '{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{}}}',
  ['a', 'b'],
  [0.1, 0.2, 0.3],
];
const CONFIGS: TraceConfigOptions[] = [
  {},
  { captureContent: false },
  { hideInputs: true },
  { hideOutputText: true },
  { hideLlmInvocationParameters: true },
  { maxAttributeLength: 5 },
  { maxAttributeLength: 50 },
  { maxAttributeLength: 100 },
  { base64ImageMaxLength: 30 },
  { base64ImageMaxLength: 30, maxAttributeLength: 60 },
];

describe('AttributeSink', () => {
  for (const options of CONFIGS) {
    it(`writes what the masking and the text budget write, value for value, with ${JSON.stringify(options)}`, () => {
      const config = resolveTraceConfig(options, {});
      // Every key with every value, in an order that runs the span's text budget out part way through.
      const puts: Array<[string, AttributeValue]> = [];
      for (const value of VALUES) for (const key of KEYS) puts.push([key, value]);
      const expected = reference(config, puts);
      const { written, count } = throughSink(config, puts);
      expect(written).to.deep.equal(expected);
      expect(count).to.equal(expected.length);
    });

    it(`hides exactly the keys the masking hides whatever the value, with ${JSON.stringify(options)}`, () => {
      const config = resolveTraceConfig(options, {});
      const sink = new AttributeSink(config);
      for (const key of KEYS) {
        const probe = '\u0000probe';
        expect(sink.hides(key), key).to.equal(maskAttribute(config, key, probe) !== probe);
      }
    });
  }

  it('the budget a short string is charged is its length (the fast path), and a string past it is cut', () => {
    const config = resolveTraceConfig({ maxAttributeLength: 100 }, {});
    const sink = new AttributeSink(config);
    sink.put('a', 'x'.repeat(100));
    expect(sink.textBudget).to.equal(100 * SPAN_TEXT_BUDGET_FACTOR - 100);
    for (let i = 0; i < SPAN_TEXT_BUDGET_FACTOR - 2; i++) sink.put(`b${i}`, 'x'.repeat(100));
    sink.put('c', 'x'.repeat(90));
    sink.put('d', 'x'.repeat(60));
    expect(sink.attributes.c).to.equal('x'.repeat(90));
    expect(sink.attributes.d).to.equal(truncateText('x'.repeat(60), 40));
  });
});
