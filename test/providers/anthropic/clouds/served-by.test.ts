import { expect } from 'chai';
import { llmSpans } from '../../../helpers/tracing';
import { CLOUDS, useCloudSuite } from './clouds';

/**
 * Which cloud serves a call, for clients older than the ones installed here. `@anthropic-ai/sdk` sets
 * `_genAIProviderName = 'anthropic'` in `BaseAnthropic`'s constructor in its late 0.x releases (0.137.0
 * does); the cloud clients override it only in their later releases (vertex-sdk 0.22.0 and bedrock-sdk
 * 1.0.0 do; vertex-sdk 0.11.3 and 0.14.0, bedrock-sdk 0.21.2 and 0.22.1 do not), and their `>=0.50.3 <1`
 * dependency installs the latest 0.x SDK. Such a client says `anthropic` although it is AnthropicVertex / AnthropicBedrock: checked by
 * hand with vertex-sdk 0.14.0 and bedrock-sdk 0.22.1 on sdk 0.137.0. Here the installed classes, with the
 * name as those releases leave it (the base's `anthropic`, or none before the SDK had one).
 */
for (const cloud of CLOUDS) {
  describe(`anthropic on ${cloud.name}: a client that does not name its platform`, () => {
    const suite = useCloudSuite(cloud);
    const ask = { model: cloud.requestModel, max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] };

    async function providerOf(client: any): Promise<unknown> {
      suite.server.reply({ json: cloud.message() });
      await client.messages.create(ask);
      const [span, ...others] = llmSpans(await suite.tracing.spans());
      expect(others).to.have.length(0);
      return span.attributes['llm.provider'];
    }

    it(`the base SDK's 'anthropic' left in place: still ${cloud.provider}`, async () => {
      const client = cloud.client(suite.Sdk, suite.server, suite.tracing);
      client._genAIProviderName = 'anthropic';
      expect(await providerOf(client)).to.equal(cloud.provider);
    });

    it(`no name at all, and the app's own subclass of the client: still ${cloud.provider}`, async () => {
      const AppClient = class AppClient extends suite.Sdk {};
      const client = cloud.client(AppClient, suite.server, suite.tracing);
      delete client._genAIProviderName;
      expect(await providerOf(client)).to.equal(cloud.provider);
    });
  });
}
