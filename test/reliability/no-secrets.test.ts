import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { secretsIn, secretsSeen, TEST_API_KEYS } from '../helpers/tracing';

/**
 * A root-level hook: it runs once, after every spec file of the mocha run, and fails the run if any span
 * that went through a `createTracing()` pipeline carried one of the tests' API keys.
 */
after('no exported span carried a test API key', () => {
  expect(secretsSeen(), `API keys found on spans (keys: ${TEST_API_KEYS.join(', ')})`).to.deep.equal([]);
});

describe('no-secrets guard', () => {
  const clean = { name: 'chat gpt-4o-mini', attributes: { 'llm.provider': 'openai' }, events: [], status: { code: SpanStatusCode.OK }, links: [] };

  it('finds a key in attributes, event attributes and the status message, and nothing in a clean span', () => {
    expect(secretsIn(clean)).to.deep.equal([]);
    expect(secretsIn({ ...clean, attributes: { 'http.request.header.authorization': 'Bearer sk-ant-test-secret-123' } })).to.deep.equal([
      'sk-ant-test-secret-123',
    ]);
    expect(
      secretsIn({ ...clean, events: [{ name: 'exception', attributes: { 'exception.message': 'bad key test-key-AIzaSyFAKE-000' }, time: [0, 0], droppedAttributesCount: 0 }] }),
    ).to.deep.equal(['test-key-AIzaSyFAKE-000']);
    expect(secretsIn({ ...clean, status: { code: SpanStatusCode.ERROR, message: 'Incorrect API key provided: sk-test-secret-123' } })).to.deep.equal([
      'sk-test-secret-123',
      'sk-test',
    ]);
  });
});
