import { expect } from 'chai';
import { getModelCallRecord } from '../../../lib/frameworks/openai-agents/model-call';

describe('OpenAI Agents review: a model request the bridge renders from the SDK\'s data', () => {
  it('a generation span\'s model_config: the settings set are the invocation parameters; the client\'s endpoint is not one', () => {
    const withSettings = getModelCallRecord('generation', { type: 'generation', model: 'm', model_config: { temperature: 0.2, top_p: undefined, reasoning_effort: null } }, 0);
    expect(withSettings.invocationParameters).to.deep.equal({ temperature: 0.2 });
    // With no settings the SDK traces only where its client sends the request (a URL may carry credentials).
    const endpointOnly = getModelCallRecord('generation', { type: 'generation', model: 'm', model_config: { base_url: 'https://user:pw@llm.internal/v1' } }, 0);
    expect(endpointOnly.invocationParameters).to.equal(undefined);
    expect(JSON.stringify(endpointOnly)).not.to.contain('llm.internal');
  });
});
