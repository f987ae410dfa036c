import type { ServerEndpoint } from '../../record/call-record';
import { endpointOf } from '../../record/endpoint';
import { asArray, asRecord, asString } from '../../record/read';
import { GEN_AI_PROVIDER_VERTEX_AI } from '../../semconv/genai-keys';
import type { ModulePatcher } from '../lazy-load';
import { modelName } from './content';
import { classMethodPatcher, generativeModelMethods, GenerativeModelShape } from './generative-model';

/**
 * `@google-cloud/vertexai` (1.x, deprecated by Google for `@google/genai` but widely installed):
 * `GenerativeModel` / `GenerativeModelPreview` `.generateContent(Stream)` and their chat sessions'
 * `sendMessage(Stream)`. Its models were forked from the legacy `@google/generative-ai` and keep its
 * shapes, so it shares that adapter's readers (generative-model.ts); only where things live differs.
 * The session methods call module-internal functions, not the model's, so they are patched too: one
 * span per call. Loaded when the SDK is first patched (index.ts).
 */

/** `…/publishers/google/models/gemini-2.0-flash` → `gemini-2.0-flash`; a tuned model's endpoint keeps its full name. */
const PUBLISHER_MODEL = /^projects\/[^/]+\/locations\/[^/]+\/publishers\/[^/]+\/models\/([^/]+)$/;

/** A model's `model` (`gemini-2.0-flash`, `models/…` or a resource name), or a session's `resourcePath`. */
function vertexModel(self: unknown): string | undefined {
  const object = asRecord(self);
  const name = modelName(asString(object?.model) ?? asString(object?.resourcePath));
  return name?.match(PUBLISHER_MODEL)?.[1] ?? name;
}

/** The SDK calls `https://{apiEndpoint}` (default `{location}-aiplatform.googleapis.com`) on models and sessions alike. */
function vertexServer(self: unknown): ServerEndpoint | undefined {
  const object = asRecord(self);
  const host = asString(object?.apiEndpoint) ?? (typeof object?.location === 'string' ? `${object.location}-aiplatform.googleapis.com` : undefined);
  return host === undefined ? undefined : endpointOf(`https://${host}`);
}

/** A session keeps the model's defaults as its own fields, and its turns in `historyInternal`. */
const VERTEX_SHAPE: GenerativeModelShape = {
  model: vertexModel,
  server: vertexServer,
  session(self) {
    const session = asRecord(self) ?? {};
    return { defaults: session, history: asArray(session.historyInternal) };
  },
  genAiProvider: GEN_AI_PROVIDER_VERTEX_AI,
};

export const vertexAiPatcher: ModulePatcher = classMethodPatcher(
  generativeModelMethods(VERTEX_SHAPE, ['GenerativeModel', 'GenerativeModelPreview'], ['ChatSession', 'ChatSessionPreview']),
);
