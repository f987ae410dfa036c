import { expect } from 'chai';
import { capAttributeValue, truncateText, truncationMarker } from '../../lib/config/text-cap';
import { maskAttribute } from '../../lib/masking/mask';
import { resolveTraceConfig } from '../../lib/masking/trace-config';
import { TextAccumulator, without } from '../../lib/record/read';

describe('the text cap', () => {
  it('cuts to the limit with a marker giving the original length; shorter text is untouched', () => {
    const marker = truncationMarker(100);
    expect(marker).to.equal('…[truncated: 100 chars]');
    expect(truncateText('a'.repeat(100), 50)).to.equal('a'.repeat(50 - marker.length) + marker);
    expect(truncateText('a'.repeat(50), 50)).to.equal('a'.repeat(50));
    // A limit too small for the marker just cuts.
    expect(truncateText('abcdefghij', 4)).to.equal('abcd');
  });

  it('never splits a surrogate pair', () => {
    const marker = truncationMarker(40);
    const keep = 30 - marker.length;
    const text = 'a'.repeat(keep - 1) + '😀' + 'b'.repeat(40 - keep - 1);
    expect(truncateText(text, 30)).to.equal('a'.repeat(keep - 1) + marker);
  });

  it('applies to strings and string arrays, not to numbers', () => {
    expect(capAttributeValue('x'.repeat(60), 40)).to.equal('x'.repeat(40 - truncationMarker(60).length) + truncationMarker(60));
    expect(capAttributeValue(['ok', 'y'.repeat(60)], 40)).to.deep.equal(['ok', 'y'.repeat(40 - truncationMarker(60).length) + truncationMarker(60)]);
    const numbers = [1, 2, 3];
    expect(capAttributeValue(numbers, 1)).to.equal(numbers);
  });

  it('is in the one masking function, whatever the key and the masking', () => {
    for (const config of [resolveTraceConfig({ maxAttributeLength: 40 }, {}), resolveTraceConfig({ maxAttributeLength: 40, hideInputs: true }, {})]) {
      expect(maskAttribute(config, 'gen_ai.output.messages', 'z'.repeat(100))).to.have.length(40);
      expect(maskAttribute(config, 'http.url', 'z'.repeat(100))).to.have.length(40);
    }
  });

  it('option > INFINIUM_MAX_ATTRIBUTE_LENGTH > 32000, never above the SDK value length limit', () => {
    expect(resolveTraceConfig({}, {}).maxAttributeLength).to.equal(32000);
    expect(resolveTraceConfig({}, { INFINIUM_MAX_ATTRIBUTE_LENGTH: '1000' }).maxAttributeLength).to.equal(1000);
    expect(resolveTraceConfig({ maxAttributeLength: 500 }, { INFINIUM_MAX_ATTRIBUTE_LENGTH: '1000' }).maxAttributeLength).to.equal(500);
    expect(resolveTraceConfig({}, { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '2000' }).maxAttributeLength).to.equal(2000);
    expect(resolveTraceConfig({}, { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '2000', OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '300' }).maxAttributeLength).to.equal(300);
    expect(resolveTraceConfig({ maxAttributeLength: 100_000 }, { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '2000' }).maxAttributeLength).to.equal(2000);
    expect(resolveTraceConfig({}, { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '90000' }).maxAttributeLength).to.equal(32000);
  });

  it('the message cap and the attribute count limit: option > env > default', () => {
    expect(resolveTraceConfig({}, {}).maxMessages).to.equal(32);
    expect(resolveTraceConfig({}, { INFINIUM_MAX_MESSAGES: '8' }).maxMessages).to.equal(8);
    expect(resolveTraceConfig({ maxMessages: 4 }, { INFINIUM_MAX_MESSAGES: '8' }).maxMessages).to.equal(4);
    expect(resolveTraceConfig({}, {}).attributeCountLimit).to.equal(128);
    expect(resolveTraceConfig({}, { OTEL_ATTRIBUTE_COUNT_LIMIT: '64' }).attributeCountLimit).to.equal(64);
    expect(resolveTraceConfig({}, { OTEL_ATTRIBUTE_COUNT_LIMIT: '64', OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '200' }).attributeCountLimit).to.equal(200);
  });
});

describe('TextAccumulator (stream buffers)', () => {
  it('keeps at most its limit and ends in the marker with the full length', () => {
    const text = new TextAccumulator(50);
    for (let i = 0; i < 1000; i++) text.add('0123456789');
    const marker = truncationMarker(10_000);
    expect(text.text()).to.equal('0123456789'.repeat(5).slice(0, 50 - marker.length) + marker);
    expect((text as unknown as { pieces: string[] }).pieces).to.have.length(5);
  });

  it('joins text within the limit as it is, and stays empty on empty pieces', () => {
    const text = new TextAccumulator(50);
    expect(text.isEmpty).to.equal(true);
    text.add('');
    text.add(undefined);
    expect(text.text()).to.equal(undefined);
    text.add('Hello ');
    text.add('world');
    expect(text.text()).to.equal('Hello world');
  });
});

describe('without (request body copies)', () => {
  it('never copies __proto__, constructor or prototype', () => {
    const body = JSON.parse('{"model":"m","__proto__":{"temperature":0.9},"constructor":{"x":1},"prototype":{},"top_p":1}');
    const copy = without(body)!;
    expect(Object.getPrototypeOf(copy)).to.equal(Object.prototype);
    expect(Object.keys(copy)).to.deep.equal(['model', 'top_p']);
    expect((copy as { temperature?: unknown }).temperature).to.equal(undefined);
  });
});
