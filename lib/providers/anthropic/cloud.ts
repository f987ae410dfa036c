import { asRecord } from '../../record/read';
import { GEN_AI_PROVIDER_VERTEX_AI } from '../../semconv/genai-keys';

/**
 * Who serves a call made through an `@anthropic-ai/sdk` resource: Anthropic itself, or Claude on Google
 * Vertex AI (`@anthropic-ai/vertex-sdk`) or Amazon Bedrock (`@anthropic-ai/bedrock-sdk`), whose clients
 * subclass the SDK's `BaseAnthropic` and share its `Messages` classes. `llm.system` stays `anthropic` (the
 * model family and the API's shapes); `llm.provider` names the cloud.
 */
export type AnthropicHost = 'anthropic' | 'google' | 'aws';

/** What the record needs: the provider, and the GenAI registry's name where `provider` alone does not tell it. */
export interface AnthropicServedBy {
  provider: AnthropicHost;
  /** `gen_ai.provider.name`: `google` alone would read as Gemini (`gcp.gemini`). */
  genAiProvider?: string;
}

const SERVED: Readonly<Record<AnthropicHost, AnthropicServedBy>> = {
  anthropic: { provider: 'anthropic' },
  google: { provider: 'google', genAiProvider: GEN_AI_PROVIDER_VERTEX_AI },
  aws: { provider: 'aws' },
};

/** What recent clients say of themselves (the name the SDK's own GenAI span gives as `gen_ai.provider.name`). */
const BY_GENAI_NAME: Readonly<Record<string, AnthropicHost>> = { 'gcp.vertex_ai': 'google', 'aws.bedrock': 'aws' };

/** Class names of the cloud clients, for versions that do not name themselves (Vertex SDK 0.x, Bedrock SDK 0.x). */
const BY_CLASS_NAME: Readonly<Record<string, AnthropicHost>> = {
  AnthropicVertex: 'google',
  AnthropicBedrock: 'aws',
  AnthropicBedrockMantle: 'aws',
};

/** Never throws: a shape we do not know is Anthropic's own. */
export function anthropicServedBy(resource: unknown): AnthropicServedBy {
  return SERVED[hostOf(asRecord(asRecord(resource)?._client))];
}

function hostOf(client: Record<string, unknown> | undefined): AnthropicHost {
  if (!client) return 'anthropic';
  // Only a cloud's name is taken at its word: `anthropic` is also what `BaseAnthropic` itself sets (late
  // 0.x SDKs), which the older cloud clients (vertex-sdk 0.14, bedrock-sdk 0.22) leave in place.
  const name = client._genAIProviderName;
  if (typeof name === 'string' && Object.hasOwn(BY_GENAI_NAME, name)) return BY_GENAI_NAME[name];
  // The class chain, for a subclass of a cloud client (or a bundler that kept the names).
  for (let cls = client.constructor; typeof cls === 'function' && cls !== Object; cls = Object.getPrototypeOf(cls)) {
    const host = BY_CLASS_NAME[(cls as { name?: string }).name ?? ''];
    if (host) return host;
  }
  // Minified names: the options only the cloud clients keep.
  if (typeof client.awsRegion === 'string') return 'aws';
  if ('projectId' in client && '_authClientPromise' in client) return 'google';
  return 'anthropic';
}
