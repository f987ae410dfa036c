import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny in-process stand-in for the OpenAI, Anthropic and Gemini APIs, so the demo needs no key and
 * no network. It answers just the requests the agent makes, in each provider's own wire format.
 */
export class DemoLlmServer {
  private readonly server = http.createServer((req, res) => void this.route(req, res));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A `fetch` for clients that keep the real API host (so spans name the real provider) but talk to us. */
  fetch: typeof fetch = (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return fetch(new URL(url.pathname + url.search, this.origin), init);
  };

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = text ? JSON.parse(text) : {};
    const path = req.url ?? '';
    if (path.startsWith('/v1/chat/completions')) return openaiChat(body, res);
    if (path.startsWith('/v1/messages')) return anthropicMessages(body, res);
    if (path.includes(':generateContent')) return geminiGenerate(res);
    json(res, 404, { error: { message: `no route for ${path}` } });
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sse(res: http.ServerResponse, events: Array<{ event?: string; data: unknown }>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const e of events) res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${JSON.stringify(e.data)}\n\n`);
  res.end();
}

function openaiChat(body: { model?: string }, res: http.ServerResponse): void {
  if (body.model !== 'gpt-4o-mini') {
    json(res, 404, {
      error: { message: `The model \`${body.model}\` does not exist`, type: 'invalid_request_error', code: 'model_not_found' },
    });
    return;
  }
  json(res, 200, {
    id: 'chatcmpl-demo',
    object: 'chat.completion',
    created: 1741569952,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content: 'order_status' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 31, completion_tokens: 3, total_tokens: 34 },
  });
}

function anthropicMessages(body: { stream?: boolean }, res: http.ServerResponse): void {
  const words = ['Your order ', 'A-1042 ships ', 'tomorrow.'];
  const message = { id: 'msg_demo', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', stop_sequence: null };
  if (!body.stream) {
    json(res, 200, {
      ...message,
      content: [{ type: 'text', text: words.join('') }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 52, output_tokens: 9 },
    });
    return;
  }
  sse(res, [
    { event: 'message_start', data: { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { input_tokens: 52, output_tokens: 1 } } } },
    { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
    ...words.map((text) => ({ event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } } })),
    { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
    { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 9 } } },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ]);
}

function geminiGenerate(res: http.ServerResponse): void {
  json(res, 200, {
    candidates: [
      {
        content: { role: 'model', parts: [{ functionCall: { name: 'lookup_order', args: { order_id: 'A-1042' } } }] },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: 40, candidatesTokenCount: 8, totalTokenCount: 48 },
    modelVersion: 'gemini-2.5-flash',
  });
}
