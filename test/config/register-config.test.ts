import { expect } from 'chai';
import sinon from 'sinon';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { isSdkDisabled, readLogLevel, readRegisterConfig } from '../../lib/config/register-config';

describe('readRegisterConfig', () => {
  let warn: sinon.SinonStub;
  beforeEach(() => {
    warn = sinon.stub(diag, 'warn');
  });
  afterEach(() => warn.restore());

  it('defaults: otlp over http/protobuf to localhost:4318, WARN, no tree, 2 s exit bound, no metrics or logs pipelines', () => {
    expect(readRegisterConfig({})).to.deep.equal({
      disabled: false,
      logLevel: DiagLogLevel.WARN,
      exporters: ['otlp'],
      protocol: 'http/protobuf',
      otlpEndpoint: { url: 'http://localhost:4318/v1/traces' },
      consoleView: undefined,
      serviceName: undefined,
      maxOpenTraces: undefined,
      shutdownTimeoutMs: 2000,
      batch: { scheduledDelayMillis: undefined, maxQueueSize: undefined, maxExportBatchSize: undefined, exportTimeoutMillis: undefined },
      metricsFromEnv: false,
      logsFromEnv: false,
    });
    expect(warn.called).to.equal(false);
  });

  it('reads every variable it owns', () => {
    const config = readRegisterConfig({
      OTEL_SDK_DISABLED: 'false',
      OTEL_LOG_LEVEL: 'debug',
      OTEL_TRACES_EXPORTER: 'console, otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'HTTP/JSON',
      INFINIUM_CONSOLE: 'tree',
      INFINIUM_SERVICE_NAME: 'support-bot',
      INFINIUM_MAX_OPEN_TRACES: '500',
      INFINIUM_SHUTDOWN_TIMEOUT_MS: '1500',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '50',
      OTEL_BSP_EXPORT_TIMEOUT: '3000',
      OTEL_METRICS_EXPORTER: 'otlp',
    });
    expect(config).to.deep.equal({
      disabled: false,
      logLevel: DiagLogLevel.DEBUG,
      exporters: ['console', 'otlp'],
      protocol: 'http/json',
      otlpEndpoint: { url: 'http://localhost:4318/v1/traces' },
      consoleView: 'tree',
      serviceName: 'support-bot',
      maxOpenTraces: 500,
      shutdownTimeoutMs: 1500,
      batch: { scheduledDelayMillis: 200, maxQueueSize: 100, maxExportBatchSize: 50, exportTimeoutMillis: 3000 },
      metricsFromEnv: true,
      logsFromEnv: false,
    });
    expect(warn.called).to.equal(false);
  });

  it('OTEL_TRACES_EXPORTER=none gives no exporter', () => {
    expect(readRegisterConfig({ OTEL_TRACES_EXPORTER: 'none' }).exporters).to.deep.equal([]);
  });

  it('bad values: one warning each, and the default', () => {
    const config = readRegisterConfig({
      OTEL_LOG_LEVEL: 'loud',
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/xml',
      INFINIUM_CONSOLE: 'pretty',
      INFINIUM_MAX_OPEN_TRACES: '0',
      INFINIUM_SHUTDOWN_TIMEOUT_MS: 'soon',
    });
    expect(config.logLevel).to.equal(DiagLogLevel.WARN);
    expect(config.exporters).to.deep.equal(['otlp']);
    expect(config.protocol).to.equal('http/protobuf');
    expect(config.consoleView).to.equal(undefined);
    expect(config.maxOpenTraces).to.equal(undefined);
    expect(config.shutdownTimeoutMs).to.equal(2000);
    expect(warn.args.map((a) => a[0])).to.deep.equal([
      '@infinium/otel: ignoring OTEL_LOG_LEVEL="loud"; using the default (warn)',
      '@infinium/otel: ignoring OTEL_EXPORTER_OTLP_PROTOCOL="http/xml"; using the default (http/protobuf)',
      '@infinium/otel: ignoring OTEL_TRACES_EXPORTER="zipkin"; using the default (otlp)',
      '@infinium/otel: ignoring INFINIUM_CONSOLE="pretty"; using the default (none)',
      '@infinium/otel: ignoring INFINIUM_MAX_OPEN_TRACES="0"; using the default (10000)',
      '@infinium/otel: ignoring INFINIUM_SHUTDOWN_TIMEOUT_MS="soon"; using the default (2000)',
    ]);
  });

  it('names the real default for every bad number (negative, zero, words), never "unset"', () => {
    const config = readRegisterConfig({
      INFINIUM_MAX_OPEN_TRACES: '-5',
      INFINIUM_SHUTDOWN_TIMEOUT_MS: '-1',
      OTEL_BSP_SCHEDULE_DELAY: 'fast',
      OTEL_BSP_MAX_QUEUE_SIZE: '0',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1.5',
      OTEL_BSP_EXPORT_TIMEOUT: 'never',
    });
    expect(config.maxOpenTraces).to.equal(undefined);
    expect(config.shutdownTimeoutMs).to.equal(2000);
    expect(config.batch).to.deep.equal({
      scheduledDelayMillis: undefined, maxQueueSize: undefined, maxExportBatchSize: undefined, exportTimeoutMillis: undefined,
    });
    expect(warn.args.map((a) => a[0])).to.deep.equal([
      '@infinium/otel: ignoring INFINIUM_MAX_OPEN_TRACES="-5"; using the default (10000)',
      '@infinium/otel: ignoring INFINIUM_SHUTDOWN_TIMEOUT_MS="-1"; using the default (2000)',
      '@infinium/otel: ignoring OTEL_BSP_SCHEDULE_DELAY="fast"; using the default (5000)',
      '@infinium/otel: ignoring OTEL_BSP_MAX_QUEUE_SIZE="0"; using the default (2048)',
      '@infinium/otel: ignoring OTEL_BSP_MAX_EXPORT_BATCH_SIZE="1.5"; using the default (512)',
      '@infinium/otel: ignoring OTEL_BSP_EXPORT_TIMEOUT="never"; using the default (30000)',
    ]);
  });

  it('OTEL_TRACES_EXPORTER: "none" beside real exporters is reported and the others are used', () => {
    expect(readRegisterConfig({ OTEL_TRACES_EXPORTER: 'console,none' }).exporters).to.deep.equal(['console']);
    expect(warn.args.map((a) => a[0])).to.deep.equal([
      '@infinium/otel: OTEL_TRACES_EXPORTER="console,none" lists "none" beside other exporters; using console',
    ]);
    expect(readRegisterConfig({ OTEL_TRACES_EXPORTER: 'none,bogus' }).exporters).to.deep.equal([]);
    expect(warn.args[1][0]).to.equal('@infinium/otel: ignoring OTEL_TRACES_EXPORTER="bogus"; using the default (none)');
  });

  describe('the OTLP endpoint, checked at start', () => {
    it('resolves the traces URL the way the exporters do', () => {
      expect(readRegisterConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).otlpEndpoint).to.deep.equal({
        url: 'http://collector:4318/v1/traces', variable: 'OTEL_EXPORTER_OTLP_ENDPOINT',
      });
      expect(readRegisterConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/base/' }).otlpEndpoint?.url)
        .to.equal('https://otel.example.com/base/v1/traces');
      expect(readRegisterConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:6006/v1/traces',
      }).otlpEndpoint).to.deep.equal({ url: 'http://localhost:6006/v1/traces', variable: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' });
      expect(readRegisterConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).otlpEndpoint).to.deep.equal({ url: 'http://localhost:4317' });
      expect(readRegisterConfig({ OTEL_TRACES_EXPORTER: 'console' }).otlpEndpoint).to.equal(undefined);
      expect(warn.called).to.equal(false);
    });

    it('a scheme-less endpoint: one warning at start with the likely fix, and OTLP is left out', () => {
      const config = readRegisterConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318', OTEL_TRACES_EXPORTER: 'otlp,console' });
      expect(config.exporters).to.deep.equal(['console']);
      expect(config.otlpEndpoint).to.equal(undefined);
      expect(warn.args.map((a) => a[0])).to.deep.equal([
        '@infinium/otel: OTEL_EXPORTER_OTLP_ENDPOINT="localhost:4318" is not an http:// or https:// URL ' +
          '(did you mean http://localhost:4318?); no traces will be sent over OTLP',
      ]);
    });

    it('another unusable URL: reported without a guess', () => {
      const config = readRegisterConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://collector/v1/traces' });
      expect(config.exporters).to.deep.equal([]);
      expect(warn.args.map((a) => a[0])).to.deep.equal([
        '@infinium/otel: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="ftp://collector/v1/traces" is not an http:// or https:// URL; ' +
          'no traces will be sent over OTLP',
      ]);
    });
  });

  it('keeps the known exporters of a list with an unknown one', () => {
    expect(readRegisterConfig({ OTEL_TRACES_EXPORTER: 'console,jaeger' }).exporters).to.deep.equal(['console']);
    expect(warn.args[0][0]).to.equal('@infinium/otel: ignoring OTEL_TRACES_EXPORTER="jaeger"; using the default (console)');
  });
});

describe('isSdkDisabled / readLogLevel', () => {
  it('OTEL_SDK_DISABLED: only a true value disables, with no side effect', () => {
    expect(isSdkDisabled({ OTEL_SDK_DISABLED: 'true' })).to.equal(true);
    expect(isSdkDisabled({ OTEL_SDK_DISABLED: ' TRUE ' })).to.equal(true);
    expect(isSdkDisabled({ OTEL_SDK_DISABLED: 'false' })).to.equal(false);
    expect(isSdkDisabled({ OTEL_SDK_DISABLED: 'maybe' })).to.equal(false);
    expect(isSdkDisabled({})).to.equal(false);
  });

  it('OTEL_LOG_LEVEL: any case; an invalid value is returned for the caller to report', () => {
    expect(readLogLevel({ OTEL_LOG_LEVEL: 'none' })).to.deep.equal({ level: DiagLogLevel.NONE });
    expect(readLogLevel({ OTEL_LOG_LEVEL: 'Info' })).to.deep.equal({ level: DiagLogLevel.INFO });
    expect(readLogLevel({ OTEL_LOG_LEVEL: 'chatty' })).to.deep.equal({ level: DiagLogLevel.WARN, invalid: 'chatty' });
    expect(readLogLevel({})).to.deep.equal({ level: DiagLogLevel.WARN });
  });
});
