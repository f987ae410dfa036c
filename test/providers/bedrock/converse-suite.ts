import { ProviderSuite, useProviderSuite } from '../../helpers/provider-suite';
import { BedrockSuite, startBedrock, stopBedrock } from './fixtures';

/** The Converse suite the converse-*.test.ts files share (useProviderSuite): the real SDK, a fake Bedrock and a client for it. */
export function useConverseSuite(): ProviderSuite<BedrockSuite> {
  return useProviderSuite(startBedrock, { tearDown: stopBedrock });
}
