import type { FakeResponse, SseEvent } from '../../helpers/fake-llm-server';
import { helloAttributes } from '../google/expected';

/**
 * Replicate HTTP API shapes (https://replicate.com/docs/reference/http), as the `replicate` SDK receives them:
 * - `POST /v1/models/{owner}/{name}/predictions` (or `POST /v1/predictions` with a `version`) → a prediction,
 *   finished when the request said `Prefer: wait` and the model was quick, else `starting`;
 * - `GET /v1/predictions/{id}` → the same prediction as it progresses (`processing`, then `succeeded`);
 * - `urls.stream` → server-sent events: `output` (a piece of text), `logs`, `error`, `done` (`{}`);
 * - errors → `{ title, detail, status }` with the HTTP status.
 */
export const API_TOKEN = 'r8_FAKEtestTOKEN000';
export const LLM = 'meta/meta-llama-3-8b-instruct';
export const VERSION = '5a6809ca6288247d06daf6365557e5e429063f32a21146b2a807c682652136b8';

export const LLM_INPUT = { prompt: 'Say hello', system_prompt: 'Be brief.', max_tokens: 64, temperature: 0.4 };

export function prediction(overrides: Record<string, unknown> = {}, origin = 'https://api.replicate.com') {
  const id = (overrides.id as string | undefined) ?? 'gm3qorzdhgbfurvjtvhg6dckhu';
  return {
    id,
    model: LLM,
    version: 'dp-4d9e4a7d4e3f49dfab0b0a6c3a25ff2b',
    input: LLM_INPUT,
    logs: '',
    output: ['Hello', ' there', '!'],
    data_removed: false,
    error: null,
    status: 'succeeded',
    created_at: '2026-12-07T10:00:00.000Z',
    started_at: '2026-12-07T10:00:00.100Z',
    completed_at: '2026-12-07T10:00:00.600Z',
    urls: {
      cancel: `${origin}/v1/predictions/${id}/cancel`,
      get: `${origin}/v1/predictions/${id}`,
      stream: `${origin}/v1/stream/${id}`,
      web: `https://replicate.com/p/${id}`,
    },
    metrics: { batch_size: 1, input_token_count: 12, output_token_count: 5, predict_time: 0.5, time_to_first_token: 0.1, tokens_per_second: 10, total_time: 0.6 },
    ...overrides,
  };
}

/** A prediction still running: no output, no metrics yet. */
export function running(status: 'starting' | 'processing', origin?: string) {
  return prediction({ status, output: null, metrics: {}, completed_at: null }, origin);
}

/** An image model's finished prediction: file URLs out, no token metrics. */
export function imagePrediction() {
  return prediction({
    id: 'img-1',
    model: 'black-forest-labs/flux-schnell',
    input: { prompt: 'A red fox', num_outputs: 1, aspect_ratio: '1:1' },
    output: ['https://replicate.delivery/xezq/fox.webp'],
    metrics: { predict_time: 1.2, total_time: 1.4 },
  });
}

export function textEvents(pieces = ['Once', ' upon', ' a time.']): SseEvent[] {
  return [
    ...pieces.map((data) => ({ event: 'output', data })),
    { event: 'logs', data: 'generation done' },
    { event: 'done', data: {} },
  ];
}

export function errorResponse(status: number, title: string, detail: string): FakeResponse {
  return { status, json: { title, detail, status } };
}

/**
 * The Gemini suites' 'Say hello' conversation (system 'Be brief.', answer 'Hello there!', 12 + 5 tokens),
 * as Replicate records it: its own provider, system and model, no price (Replicate bills by time), no finish reason.
 */
const { 'llm.cost.prompt': _p, 'llm.cost.completion': _c, 'llm.cost.total': _t, 'llm.finish_reason': _f, ...hello } = helloAttributes(0.4, '{"max_tokens":64,"temperature":0.4}');
export const LLM_SPAN = { ...hello, 'llm.provider': 'replicate', 'llm.system': 'replicate', 'llm.model_name': LLM, 'llm.model': LLM };
