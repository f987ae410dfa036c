import type http from 'node:http';
import type { TestTracing } from '../../../helpers/tracing';
import { FakeLlmServer, Handler, SseEvent } from '../../../helpers/fake-llm-server';
import { frameSink, Pacing, writePaced } from '../../../helpers/paced-stream';
import { chunk, encodeEvent, StreamEvent } from '../../bedrock/fake-bedrock';

/**
 * Claude on Vertex AI and on Bedrock, as their Anthropic SDKs see them over HTTP/1 (`fetch`): Vertex's
 * `:rawPredict` (JSON) and `:streamRawPredict` (SSE), Bedrock's `/model/{id}/invoke` (JSON) and
 * `/invoke-with-response-stream` (the AWS binary event stream, each Anthropic event base64 in a `chunk`,
 * encoded by test/providers/bedrock's helpers). JSON and SSE answers are the fake LLM server's.
 */
export type EventStreamReply = { events: StreamEvent[]; /** Only requests to these paths; the others get the handler's answer. */ onlyPath?: RegExp } & Pacing;

export class FakeClouds extends FakeLlmServer {
  private eventStreamReply: EventStreamReply | undefined;

  /** Answers with an AWS event stream (every request, or those to `onlyPath`), until the next `handle`/`reply`. */
  eventStream(reply: EventStreamReply): void {
    this.eventStreamReply = reply;
  }

  override handle(handler: Handler): void {
    this.eventStreamReply = undefined;
    super.handle(handler);
  }

  protected override async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const reply = this.eventStreamReply;
    if (!reply || (reply.onlyPath && !reply.onlyPath.test(req.url ?? ''))) return super.serve(req, res);
    const chunks: Buffer[] = [];
    for await (const piece of req) chunks.push(piece as Buffer);
    this.requests.push({ method: req.method ?? 'POST', path: req.url ?? '/', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
    const end = await writePaced(reply.events.map(encodeEvent), frameSink(res), reply);
    if (end === 'drop') req.socket.destroy();
    else if (end === 'complete') res.end();
  }
}

export async function startFakeClouds(): Promise<FakeClouds> {
  return new FakeClouds().start();
}

/** Bedrock's stream of the same Anthropic events an SSE stream carries; `message_stop` gets Bedrock's metrics. */
export function bedrockEvents(sse: SseEvent[]): StreamEvent[] {
  return sse
    .filter((e) => e.event !== 'ping')
    .map((e) => {
      const data = e.data as Record<string, unknown>;
      if (data.type !== 'message_stop') return chunk(data);
      return chunk({ ...data, 'amazon-bedrock-invocationMetrics': { inputTokenCount: 7, outputTokenCount: 3, invocationLatency: 412, firstByteLatency: 208 } });
    });
}

/** A Vertex access token stand-in: the client asks it for headers, so no Google call is made. */
export const VERTEX_AUTH = {
  projectId: 'test-project',
  getRequestHeaders: async () => new Headers({ authorization: 'Bearer ya29.test-vertex-token' }),
};

/** Dummy AWS keys: the Bedrock client signs with them locally (SigV4), nothing is fetched. */
export const AWS_KEYS = { awsAccessKey: 'AKIATESTTESTTEST', awsSecretKey: 'test-secret-key', awsRegion: 'us-east-1' };

/** Both clients, the SDK's own tracing on (its default) and writing to the test's provider. */
export function vertexClient(AnthropicVertex: any, server: FakeClouds, tracing: TestTracing) {
  return new AnthropicVertex({
    region: 'us-east5',
    projectId: 'test-project',
    authClient: VERTEX_AUTH,
    baseURL: `${server.origin}/v1`,
    maxRetries: 0,
    openTelemetry: { tracerProvider: tracing.provider },
  });
}

export function bedrockClient(AnthropicBedrock: any, server: FakeClouds, tracing: TestTracing) {
  return new AnthropicBedrock({ ...AWS_KEYS, baseURL: server.origin, maxRetries: 0, openTelemetry: { tracerProvider: tracing.provider } });
}
