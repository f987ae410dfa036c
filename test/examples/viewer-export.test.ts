import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { probe, ViewerExporter, viewerEndpoint } from '../../examples/agent/viewer-export';

/**
 * The demo's decision to send its spans to the local viewer: where (the OTLP variables, else the
 * viewer's default), whether (a receiver answers), and how it names the UI (the viewer's GET /).
 */
function listen(handler: http.RequestListener): Promise<{ origin: string; server: http.Server }> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

async function closedPort(): Promise<string> {
  const { origin, server } = await listen(() => undefined);
  await new Promise((resolve) => server.close(resolve));
  return origin;
}

describe('examples/agent/viewer-export', () => {
  it('sends to the OTLP traces endpoint variables, else to the viewer on 127.0.0.1:4318', () => {
    expect(viewerEndpoint({})).to.equal('http://127.0.0.1:4318/v1/traces');
    expect(viewerEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9999/' })).to.equal('http://127.0.0.1:9999/v1/traces');
    expect(viewerEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:1', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:2/traces' })).to.equal('http://b:2/traces');
  });

  it('finds the viewer and its UI, any other receiver without a UI, and nothing on a closed port', async () => {
    const viewer = await listen((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"viewer":"infinium","ui":"http://127.0.0.1:4320"}'));
    const collector = await listen((req, res) => res.writeHead(404).end('404 page not found'));
    try {
      expect(await probe(`${viewer.origin}/v1/traces`)).to.deep.equal({ tracesUrl: `${viewer.origin}/v1/traces`, uiUrl: 'http://127.0.0.1:4320' });
      expect(await probe(`${collector.origin}/v1/traces`)).to.deep.equal({ tracesUrl: `${collector.origin}/v1/traces`, uiUrl: undefined });
      expect(await probe(`${await closedPort()}/v1/traces`)).to.equal(undefined);
    } finally {
      viewer.server.close();
      collector.server.close();
    }
  });

  it('drops spans quietly (success, nothing sent) when no receiver answers', async () => {
    const previous = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = await closedPort();
    try {
      const exporter = new ViewerExporter(undefined);
      const result = await new Promise<{ code: number }>((resolve) => exporter.export([], resolve));
      expect(result).to.deep.equal({ code: 0 });
      expect(await exporter.sentTo()).to.equal(undefined);
      await exporter.shutdown();
    } finally {
      if (previous === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = previous;
    }
  });
});
