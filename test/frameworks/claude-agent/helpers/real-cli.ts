import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The environment in which the real Claude Code CLI (the SDK's native binary) talks only to local fakes
 * (found with CLI 2.1.337; docs/frameworks/claude-agent-sdk.md):
 * - ANTHROPIC_BASE_URL / ANTHROPIC_API_KEY: the model API is the fake;
 * - CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC, DISABLE_AUTOUPDATER: no other request (without the first it
 *   also sends `HEAD /api/hello` and an extra model request);
 * - HOME, CLAUDE_CONFIG_DIR and the cwd in a fresh temp directory: nothing of this machine's settings.
 * `options.env` replaces the process env for the CLI, so PATH is passed on (its Bash tool needs it).
 *
 * With `otlpEndpoint`, the CLI also exports its own trace spans there (OTLP/HTTP JSON): the two
 * CLAUDE_CODE_* flags are both required, the OTEL_LOG_* ones put the prompt and tool details in them.
 */
export interface RealCliEnv {
  env: Record<string, string>;
  cwd: string;
  cleanup(): void;
}

export function cliTelemetryEnv(otlpEndpoint: string): Record<string, string> {
  return {
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    CLAUDE_CODE_ENHANCED_TELEMETRY_BETA: '1',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
    OTEL_LOG_USER_PROMPTS: '1',
    OTEL_LOG_TOOL_DETAILS: '1',
  };
}

export function realCliEnv(apiOrigin: string, otlpEndpoint?: string): RealCliEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-cli-test-'));
  const home = path.join(dir, 'home');
  const cwd = path.join(dir, 'cwd');
  fs.mkdirSync(home);
  fs.mkdirSync(cwd);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CLAUDE_CONFIG_DIR: path.join(home, '.claude'),
    ANTHROPIC_BASE_URL: apiOrigin,
    ANTHROPIC_API_KEY: 'sk-ant-test-secret-123',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    ...(otlpEndpoint ? cliTelemetryEnv(otlpEndpoint) : {}),
  };
  return { env, cwd, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Whether this platform's CLI binary is installed (the SDK's optional dependency for it). */
export function realCliInstalled(): boolean {
  const pkg = `@anthropic-ai/claude-agent-sdk-${process.platform}-${process.arch}`;
  try {
    const dir = path.dirname(require.resolve(`${pkg}/package.json`));
    return fs.existsSync(path.join(dir, process.platform === 'win32' ? 'claude.exe' : 'claude'));
  } catch {
    return false;
  }
}
