import http from 'node:http';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { LocalHttpServer } from '../helpers/local-http-server';

/** The OTLP protobuf size of these spans, as an exporter sends them. */
export function otlpBytes(spans: ReadableSpan[]): number {
  return ProtobufTraceSerializer.serializeRequest(spans)?.byteLength ?? 0;
}

/** One streamed chat chunk carrying `text`, as an SSE event (the OpenAI chat.completion.chunk shape). */
export function chatChunkEvent(text: string): string {
  const chunk = {
    id: 'chatcmpl-endless',
    object: 'chat.completion.chunk',
    created: 1741569952,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/**
 * A chat stream that never ends: the same chunk written again and again, as fast as the client reads
 * (back-pressure respected), until the client goes away. The chunk is built once, so this server's own
 * heap stays flat and any growth measured is the client's.
 */
export class EndlessChatStreamServer extends LocalHttpServer {
  constructor(private readonly event = Buffer.from(chatChunkEvent('x'.repeat(100)))) {
    super();
  }

  protected async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    for await (const _ of req);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let open = true;
    res.on('close', () => (open = false));
    const pump = () => {
      while (open && res.write(this.event));
    };
    res.on('drain', pump);
    pump();
  }
}

/** Heap after two full collections (mocha runs with --expose-gc). */
export function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
