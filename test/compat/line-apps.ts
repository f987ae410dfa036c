import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { npm, Runtime } from './node-runtime';

/**
 * Throwaway apps on each OpenTelemetry line, built the way users build them: `npm pack` of this package,
 * then a plain `npm install` of the tarball. Everything else comes from the registry by exact version
 * (the README's own line is resolved as of a fixed date), so runs are reproducible.
 */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** What an app of each line already has before it adds us. */
export const LINE_PINS: Readonly<Record<OtelLine, Record<string, string>>> = {
  '2.x': { '@opentelemetry/api': '1.9.1', '@opentelemetry/sdk-node': '0.223.0', '@opentelemetry/sdk-trace-base': '2.12.1' },
  '3.x': { '@opentelemetry/api': '1.10.0', '@opentelemetry/sdk-node': '0.301.0', '@opentelemetry/sdk-trace': '3.1.1' },
};
export const LLM_SDKS: Readonly<Record<string, string>> = { openai: '6.30.1', '@anthropic-ai/sdk': '1.12.0', '@google/genai': '2.32.0' };
/** The further SDKs, installed in the pinned app of each line. */
export const MORE_LLM_SDKS: Readonly<Record<string, string>> = {
  'groq-sdk': '1.6.0', '@mistralai/mistralai': '1.15.1', ollama: '0.6.4', 'cohere-ai': '8.1.0', '@aws-sdk/client-bedrock-runtime': '3.1164.0',
};

/** The registry as of this date answers the README's unpinned line. */
export const README_RESOLVED_BEFORE = '2026-12-01T00:00:00Z';

/** Copies of these under our package would be a second OpenTelemetry SDK in the app. */
export const MUST_NOT_NEST = [
  '@opentelemetry/api', '@opentelemetry/core', '@opentelemetry/resources', '@opentelemetry/sdk-trace-base',
  '@opentelemetry/sdk-trace', '@opentelemetry/sdk-trace-node', '@opentelemetry/sdk-node', '@opentelemetry/context-async-hooks',
];

export type OtelLine = '2.x' | '3.x';

export interface LineApp {
  readonly label: string;
  readonly dir: string;
  readonly runtime: Runtime;
}

/** Which of the README's install lines: the new-app line, or the one that picks the 2.x line. */
export type ReadmeLine = 'new-app' | '2.x';

/**
 * The packages after `npm install` in the README's Install section, `@infinium/otel` first: its first
 * line is for a new app, its second picks the 2.x line (test/docs/install-lines.test.ts holds the order).
 */
export function readmeInstallLine(which: ReadmeLine = 'new-app'): string[] {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const lines = [...readme.matchAll(/^npm install (@infinium\/otel .+)$/gm)].map((m) => m[1].trim().split(/\s+/));
  const line = lines[which === 'new-app' ? 0 : 1];
  if (!line) throw new Error(`README.md has no ${which} \`npm install @infinium/otel …\` line`);
  return line;
}

export function makeWorkDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'infinium-otel-lines-'));
}

/** `npm pack` of the repository (its `dist/` must be built); returns the tarball's path. */
export async function packPackage(runtime: Runtime, into: string): Promise<string> {
  const result = await npm(runtime, ['pack', '--json', '--pack-destination', into], REPO_ROOT);
  if (result.code !== 0) throw new Error(`npm pack failed: ${result.stderr}`);
  const [{ filename }] = JSON.parse(result.stdout) as Array<{ filename: string }>;
  return path.join(into, filename);
}

/** An app that already runs `line`, pinned exactly, which then gets our package with a plain install. */
export async function existingApp(runtime: Runtime, line: OtelLine, workDir: string, tarball: string): Promise<LineApp> {
  const dir = newAppDir(workDir, `existing-${line}`, { ...LINE_PINS[line], ...LLM_SDKS, ...MORE_LLM_SDKS });
  await mustNpm(runtime, ['install'], dir);
  await mustNpm(runtime, ['install', tarball], dir);
  return { label: `existing ${line} app`, dir, runtime };
}

/** A new app installed with a README line as typed (the tarball standing in for `@infinium/otel`). */
export async function readmeApp(runtime: Runtime, workDir: string, tarball: string, which: ReadmeLine = 'new-app'): Promise<LineApp> {
  const dir = newAppDir(workDir, `readme-${which}-${runtime.label.replace(/\W/g, '')}`, {});
  const line = readmeInstallLine(which).map((name) => (name === '@infinium/otel' ? tarball : name));
  await mustNpm(runtime, ['install', `--before=${README_RESOLVED_BEFORE}`, ...line], dir);
  await mustNpm(runtime, ['install', ...Object.entries(LLM_SDKS).map(([name, version]) => `${name}@${version}`)], dir);
  return { label: `README app on ${runtime.label}`, dir, runtime };
}

/** An app with only our package and none of its peers (`--legacy-peer-deps` skips them). */
export async function barePeerlessApp(runtime: Runtime, workDir: string, tarball: string): Promise<LineApp> {
  const dir = newAppDir(workDir, 'peerless', {});
  await mustNpm(runtime, ['install', '--legacy-peer-deps', tarball], dir);
  return { label: 'app without peers', dir, runtime };
}

/** An app with the API and instrumentation packages of the 2.x line but no sdk-node. */
export async function noSdkApp(runtime: Runtime, workDir: string, tarball: string): Promise<LineApp> {
  const dir = newAppDir(workDir, 'no-sdk', { '@opentelemetry/api': '1.9.1', '@opentelemetry/core': '2.12.1', '@opentelemetry/instrumentation': '0.223.0' });
  await mustNpm(runtime, ['install'], dir);
  await mustNpm(runtime, ['install', tarball], dir);
  return { label: 'app without sdk-node', dir, runtime };
}

/** The installed version of `name` at the app's top level. */
export function installedVersion(app: LineApp, name: string): string | undefined {
  const file = path.join(app.dir, 'node_modules', name, 'package.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version : undefined;
}

/** Copies of the SDK packages nested under our package (there must be none). */
export function nestedSdkCopies(app: LineApp): string[] {
  return MUST_NOT_NEST.filter((name) => fs.existsSync(path.join(app.dir, 'node_modules', '@infinium', 'otel', 'node_modules', name)));
}

/** What `npm ls --all` reports as invalid, missing or unmet (optional peers not installed are fine). */
export async function npmLsProblems(app: LineApp): Promise<string[]> {
  const result = await npm(app.runtime, ['ls', '--all', '--json'], app.dir);
  const problems = (JSON.parse(result.stdout) as { problems?: string[] }).problems ?? [];
  return problems.filter((p) => !/^missing: .* required by .*optional/.test(p));
}

/** Copies the test's fixture apps into the app folder, so that they resolve packages from its node_modules. */
export function copyFixtures(app: LineApp, names: string[]): void {
  for (const name of names) fs.copyFileSync(path.join(__dirname, 'fixtures', name), path.join(app.dir, name));
}

function newAppDir(workDir: string, name: string, dependencies: Record<string, string>): string {
  const dir = path.join(workDir, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, dependencies }, null, 2));
  return dir;
}

async function mustNpm(runtime: Runtime, args: string[], dir: string): Promise<void> {
  const result = await npm(runtime, args, dir);
  if (result.code !== 0) throw new Error(`npm ${args.join(' ')} failed in ${dir} (${runtime.label}):\n${result.stderr}`);
}
