import { expect } from 'chai';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type OpenAIType from 'openai';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, useInstrumentation } from '../helpers/tracing';
import { waitFor } from '../helpers/wait';
import { loadOpenAI, openaiClient } from '../providers/openai/client';
import { chatCompletion } from '../providers/openai/fixtures';

/**
 * End to end: the GenAI client metrics of real OpenAI SDK calls, served by @opentelemetry/exporter-prometheus,
 * scraped by a real Prometheus server (Debian's `prometheus`; .ci/run installs it) and read back with PromQL.
 */
describe('GenAI client metrics in a real Prometheus', function () {
  // A real Prometheus starts and scrapes on its own time; on a busy machine that can take tens of seconds.
  this.timeout(120_000);
  const binary = findPrometheus();
  let prometheus: ChildProcess | undefined;
  let dataDir: string;
  let promOrigin: string;
  let exporter: PrometheusExporter;
  let instrumentation: InfiniumInstrumentation;
  let server: FakeLlmServer;
  let client: OpenAIType;

  before(async function () {
    if (!binary) {
      process.stderr.write('    prometheus is not installed (apt-get install prometheus): skipping the Prometheus end-to-end test\n');
      this.skip();
    }
    const exporterPort = await freePort();
    const promPort = await freePort();
    exporter = new PrometheusExporter({ host: '127.0.0.1', port: exporterPort, preventServerStart: true });
    await exporter.startServer();
    instrumentation = useInstrumentation(createTracing()).instrumentation;
    instrumentation.setMeterProvider(new MeterProvider({ readers: [exporter] }));
    server = await startFakeLlmServer();
    client = openaiClient(loadOpenAI(), server);

    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'infinium-prometheus-'));
    const config = path.join(dataDir, 'prometheus.yml');
    fs.writeFileSync(
      config,
      ['global:', '  scrape_interval: 1s', 'scrape_configs:', '  - job_name: genai', '    static_configs:', `      - targets: ['127.0.0.1:${exporterPort}']`, ''].join('\n'),
    );
    promOrigin = `http://127.0.0.1:${promPort}`;
    prometheus = spawn(
      binary!,
      [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dataDir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
      { stdio: 'ignore' },
    );
    await waitFor(async () => (await fetch(`${promOrigin}/-/ready`).catch(() => undefined))?.ok === true, 'Prometheus ready', 90_000, 200);
  });

  after(async () => {
    prometheus?.kill('SIGTERM');
    if (prometheus && prometheus.exitCode === null) await new Promise((resolve) => prometheus!.once('exit', resolve));
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    instrumentation?.setMeterProvider(metrics.getMeterProvider());
    await exporter?.shutdown();
    await server?.stop();
  });

  it('token usage sums per model and type, and the duration count, read back with PromQL', async () => {
    // Two calls answered by gpt-4o-mini (19 in, 10 out each), one by gpt-4o (100 in, 25 out).
    server.reply({ json: chatCompletion() });
    for (let i = 0; i < 2; i++) await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    server.reply({ json: chatCompletion({ model: 'gpt-4o-2024-08-06', usage: { prompt_tokens: 100, completion_tokens: 25, total_tokens: 125 } }) });
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] });

    const tokens = 'sum by (gen_ai_response_model, gen_ai_token_type) (gen_ai_client_token_usage_sum{job="genai"})';
    const expected = {
      'gpt-4o-mini-2024-07-18 input': 38,
      'gpt-4o-mini-2024-07-18 output': 20,
      'gpt-4o-2024-08-06 input': 100,
      'gpt-4o-2024-08-06 output': 25,
    };
    let seen: Record<string, number> = {};
    await waitFor(async () => {
      seen = Object.fromEntries((await query(tokens)).map((r) => [`${r.metric.gen_ai_response_model} ${r.metric.gen_ai_token_type}`, Number(r.value[1])]));
      return Object.keys(seen).length === 4 && seen['gpt-4o-2024-08-06 output'] === 25;
    }, 'token usage scraped', 90_000, 200);
    expect(seen).to.deep.equal(expected);

    const count = await query('sum by (gen_ai_provider_name, gen_ai_operation_name, server_address) (gen_ai_client_operation_duration_count{job="genai"})');
    expect(count.map((r) => [r.metric, Number(r.value[1])])).to.deep.equal([
      [{ gen_ai_provider_name: 'openai', gen_ai_operation_name: 'chat', server_address: 'api.openai.com' }, 3],
    ]);
    // Every token count lands in a bucket: the advised boundaries reach Prometheus as `le` labels.
    const buckets = await query('count(gen_ai_client_token_usage_bucket{job="genai", gen_ai_token_type="input", gen_ai_response_model="gpt-4o-2024-08-06"})');
    expect(Number(buckets[0].value[1])).to.equal(15);
  });

  interface Sample {
    metric: Record<string, string>;
    value: [number, string];
  }

  async function query(promql: string): Promise<Sample[]> {
    const response = await fetch(`${promOrigin}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; data: { result: Sample[] } };
    expect(body.status).to.equal('success');
    return body.data.result;
  }
});

function findPrometheus(): string | undefined {
  for (const candidate of ['/usr/bin/prometheus', '/usr/local/bin/prometheus']) if (fs.existsSync(candidate)) return candidate;
  try {
    return execFileSync('which', ['prometheus'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

