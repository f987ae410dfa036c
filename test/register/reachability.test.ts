import { expect } from 'chai';
import net from 'node:net';
import { probeRefused } from '../../lib/register/reachability';
import { closedPort } from './run-node';

describe('probeRefused', () => {
  it('a closed localhost port: the ECONNREFUSED error', async () => {
    const port = await closedPort();
    const err = await probeRefused(`http://127.0.0.1:${port}/v1/traces`, 2000);
    expect((err as NodeJS.ErrnoException | undefined)?.code).to.equal('ECONNREFUSED');
    expect(err?.message).to.equal(`connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('a listening port: undefined (the export is awaited as usual)', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as net.AddressInfo;
      expect(await probeRefused(`http://127.0.0.1:${port}/v1/traces`, 2000)).to.equal(undefined);
    } finally {
      server.close();
    }
  });

  it('no URL, or not an http(s) one: undefined, at once', async () => {
    expect(await probeRefused(undefined, 2000)).to.equal(undefined);
    expect(await probeRefused('unix:///tmp/otlp.sock', 2000)).to.equal(undefined);
  });
});
