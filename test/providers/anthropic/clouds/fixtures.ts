import { message } from '../fixtures';

/** The models as each cloud names them in a request, and as its response names them. */
export const VERTEX_MODEL = 'claude-sonnet-4-5@20250929';
export const BEDROCK_MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
export const RESPONSE_MODEL = 'claude-sonnet-4-5-20250929';

/** A Vertex `:rawPredict` answer: the Messages API's `message`, with Vertex's id prefix. */
export function vertexMessage(overrides: Record<string, unknown> = {}) {
  return message({ id: 'msg_vrtx_01ABCDEF', model: RESPONSE_MODEL, ...overrides });
}

/** A Bedrock `/invoke` answer: the same `message`, with Bedrock's id prefix. */
export function bedrockMessage(overrides: Record<string, unknown> = {}) {
  return message({ id: 'msg_bdrk_01ABCDEF', model: RESPONSE_MODEL, ...overrides });
}
