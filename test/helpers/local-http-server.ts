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
    // Node closes an idle keep-alive socket after 5 s by default. On a loaded machine the client's own timer
    // (which should retire the socket a second earlier) can fire late, so a test's next request went out on a
    // socket the server was closing: a spurious "fetch failed" / connection error. Sockets stay open until
    // stop() cuts them.
    this.server.keepAliveTimeout = 600_000;
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
