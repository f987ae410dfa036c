import type { FakeResponse, SseEvent } from '../../helpers/fake-llm-server';
import type { Pacing } from '../../helpers/paced-stream';

/**
 * Gemini API shapes from the REST reference (https://ai.google.dev/api/generate-content), as both Google
 * SDKs receive them:
 * - `POST /v1beta/models/{model}:generateContent` → GenerateContentResponse JSON;
 * - `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` → one GenerateContentResponse per SSE
 *   event, `data: {...}\r\n\r\n`, each chunk repeating the running `usageMetadata`;
 * - `:embedContent` → `{ embedding: { values } }`, `:batchEmbedContents` → `{ embeddings: [{ values }] }`;
 * - errors → `{ error: { code, message, status } }` with the HTTP status.
 */
export const MODEL_VERSION = 'gemini-2.0-flash-001';

export function usage(overrides: Record<string, unknown> = {}) {
  return {
    promptTokenCount: 12,
    candidatesTokenCount: 5,
    totalTokenCount: 17,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: 12 }],
    candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: 5 }],
    ...overrides,
  };
}

export function generateContentResponse(parts: unknown[] = [{ text: 'Hello there!' }], overrides: Record<string, unknown> = {}) {
  return {
    candidates: [{ content: { parts, role: 'model' }, finishReason: 'STOP', index: 0, avgLogprobs: -0.12 }],
    usageMetadata: usage(),
    modelVersion: MODEL_VERSION,
    responseId: 'resp-1',
    ...overrides,
  };
}

/** The model asks for a function call (no text). */
export function functionCallResponse() {
  return generateContentResponse([{ functionCall: { name: 'get_weather', args: { city: 'Paris', unit: 'C' } } }], {
    usageMetadata: usage({ promptTokenCount: 40, candidatesTokenCount: 8, totalTokenCount: 48 }),
  });
}

/** A thinking model answering from a cached prompt: thought summary part, cached and thought token counts. */
export function thinkingCachedResponse() {
  return generateContentResponse([{ text: 'Weighing the options…', thought: true }, { text: '42' }], {
    usageMetadata: {
      promptTokenCount: 1200,
      cachedContentTokenCount: 1024,
      candidatesTokenCount: 3,
      thoughtsTokenCount: 150,
      totalTokenCount: 1353,
    },
    modelVersion: 'gemini-2.5-flash',
  });
}

function chunk(parts: unknown[], extra: Record<string, unknown> = {}, candidate: Record<string, unknown> = {}) {
  return { candidates: [{ content: { parts, role: 'model' }, index: 0, ...candidate }], modelVersion: MODEL_VERSION, responseId: 'resp-2', ...extra };
}

/** Three text chunks; the running usage grows and the last chunk carries the final counts and STOP. */
export function textStream(): SseEvent[] {
  return [
    { data: chunk([{ text: 'Once ' }], { usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 } }) },
    { data: chunk([{ text: 'upon ' }], { usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 2, totalTokenCount: 11 } }) },
    { data: chunk([{ text: 'a time.' }], { usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 4, totalTokenCount: 13 } }, { finishReason: 'STOP' }) },
  ];
}

/** A streamed function call, then a final chunk with only usage. */
export function functionCallStream(): SseEvent[] {
  return [
    { data: chunk([{ text: 'Checking.' }]) },
    { data: chunk([{ functionCall: { name: 'get_weather', args: { city: 'Rome' } } }], {}, { finishReason: 'STOP' }) },
    { data: { candidates: [], modelVersion: MODEL_VERSION, usageMetadata: { promptTokenCount: 30, candidatesTokenCount: 6, totalTokenCount: 36 } } },
  ];
}

export function sse(events: SseEvent[], extra: Pacing = {}): FakeResponse {
  return { sse: events, lineEnding: '\r\n', ...extra };
}

export function embeddingsResponse(vectors: number[][]) {
  return { embeddings: vectors.map((values) => ({ values })) };
}

export function errorResponse(code: number, status: string, message: string): FakeResponse {
  return { status: code, json: { error: { code, message, status } } };
}

export const API_KEY = 'test-key-AIzaSyFAKE-000';
