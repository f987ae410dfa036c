import http from 'node:http';
import { LocalHttpServer } from '../../helpers/local-http-server';
import { frameSink, Pacing, writePaced } from '../../helpers/paced-stream';

/**
 * A local Ollama server: JSON answers, NDJSON streams (one JSON object a line, as `/api/chat` and
 * `/api/generate` stream), HTTP errors, a stream cut mid-way, and a stream held part-way for abort tests.
 */
export type OllamaReply =
  | { status?: number; json: unknown }
  | ({ ndjson: unknown[] } & Pacing);

export class FakeOllama extends LocalHttpServer {
  readonly requests: Array<{ path: string; body: any }> = [];
  private next: OllamaReply = { status: 404, json: { error: 'no reply set' } };

  reply(reply: OllamaReply): void {
    this.next = reply;
  }

  protected async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.requests.push({ path: req.url ?? '/', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') });
    const reply = this.next;
    if ('json' in reply) {
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(reply.json));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const end = await writePaced(reply.ndjson.map((line) => `${JSON.stringify(line)}\n`), frameSink(res), reply);
    if (end === 'drop') req.socket.destroy();
    else if (end === 'complete') res.end();
  }
}

const CREATED = '2026-12-01T10:00:00.000000Z';
const FINAL_COUNTS = { total_duration: 512000000, load_duration: 21000000, prompt_eval_count: 26, prompt_eval_duration: 41000000, eval_count: 9, eval_duration: 201000000 };

/** `/api/chat`, not streamed. */
export function chatResponse(message: Record<string, unknown> = { role: 'assistant', content: 'Hello from llama!' }) {
  return { model: 'llama3.2', created_at: CREATED, message, done: true, done_reason: 'stop', ...FINAL_COUNTS };
}

/** `/api/chat` streamed: content pieces, then a tool call, then the `done` line with the counts. */
export function chatStream(): unknown[] {
  const line = (message: Record<string, unknown>) => ({ model: 'llama3.2', created_at: CREATED, message, done: false });
  return [
    line({ role: 'assistant', content: 'Let me ' }),
    line({ role: 'assistant', content: 'check.' }),
    line({ role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }] }),
    { model: 'llama3.2', created_at: CREATED, message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', ...FINAL_COUNTS },
  ];
}

export function generateResponse() {
  return { model: 'qwen2.5-coder', created_at: CREATED, response: 'def add(a, b):', done: true, done_reason: 'stop', context: [1, 2, 3], ...FINAL_COUNTS };
}

export function generateStream(): unknown[] {
  const line = (response: string) => ({ model: 'qwen2.5-coder', created_at: CREATED, response, done: false });
  return [line('def '), line('add'), line('(a, b):'), { model: 'qwen2.5-coder', created_at: CREATED, response: '', done: true, done_reason: 'length', context: [1], ...FINAL_COUNTS }];
}

export function embedResponse() {
  return { model: 'nomic-embed-text', embeddings: [[0.25, -0.5], [0.125, 1]], total_duration: 14000000, load_duration: 1000000, prompt_eval_count: 8 };
}

/** The legacy `/api/embeddings`: one vector, no counts. */
export function embeddingsResponse() {
  return { embedding: [0.5, -0.25, 0.125] };
}
