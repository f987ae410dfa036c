import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * The plumbing the tests' local servers share: listen on a free 127.0.0.1 port, and on `stop()` cut
 * every open connection (keep-alive sockets included) so the close never waits. Subclasses answer.
 */
export abstract class LocalHttpServer {
  private readonly server = http.createServer((req, res) => void this.serve(req, res));
  private readonly sockets = new Set<Socket>();

  constructor() {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  protected abstract serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
}
