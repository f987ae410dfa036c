import type { ServerEndpoint } from '../../record/call-record';
import { endpointOf } from '../../record/endpoint';
import { chatCompletions } from '../openai/chat';
import { legacyCompletions } from '../openai/completions';
import { embeddingsCreate } from '../openai/embeddings';
import { clientBaseUrl } from '../stainless/server';
import { stainlessMethodWrapper, StainlessOperation } from '../stainless/traced-method';
import type { AnyFunction, PatchHost } from '../types';

/**
 * `together-ai` is a Stainless SDK with OpenAI's shapes (chat completions and their chunks, legacy
 * completions, embeddings, usage), so the OpenAI adapters read it; only who serves the call differs. The
 * provider is Together whatever the base URL (a proxy, a local gateway): the SDK is Together's own.
 * Loaded when `together-ai` is first patched (index.ts).
 */
const TOGETHER = { provider: 'together' } as const;

/** The endpoint the client calls; without a base URL, Together's. */
function togetherServer(resource: unknown): ServerEndpoint | undefined {
  return endpointOf(clientBaseUrl(resource) ?? 'https://api.together.xyz/v1');
}

const served = { servedBy: () => TOGETHER, server: togetherServer };

/** The adapter of each method index.ts patches, by the name its table gives. */
const OPERATIONS = {
  chat: { ...chatCompletions, ...served },
  completions: { ...legacyCompletions, ...served },
  embeddings: { ...embeddingsCreate, ...served },
} satisfies Record<string, StainlessOperation>;

export type TogetherOperationName = keyof typeof OPERATIONS;

export function togetherMethodWrapper(host: PatchHost, name: TogetherOperationName): (original: AnyFunction) => AnyFunction {
  return stainlessMethodWrapper(host, OPERATIONS[name]);
}
