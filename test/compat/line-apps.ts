import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { npm, ProcessResult, Runtime } from './node-runtime';
import { addPackage, installAll, PackageManager, peerWarningsAbout } from './package-managers';

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

/**
 * Instrumentations of the other line that an app may already hold when it adds us: a 2.x-era one in a 3.x
 * app (Arize's, whose own `@opentelemetry/core` 2.x peers on api < 1.10), and a 3.x-era one in a 2.x app
 * (instrumentation-aws-sdk 0.79 nests core 3.x and instrumentation 0.300; plain npm accepts it in a 2.x tree,
 * where instrumentation-openai 0.22 and its peer api ^1.10 is refused).
 */
export const OTHER_LINE_INSTRUMENTATION: Readonly<Record<OtelLine, Record<string, string>>> = {
  '3.x': { '@arizeai/openinference-instrumentation-openai': '4.2.7' },
  '2.x': { '@opentelemetry/instrumentation-aws-sdk': '0.79.0' },
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
  readonly pm: PackageManager;
  /** What the package manager printed while adding our package. */
  readonly addOutput: string;
  /** `npm ls` problems the app had before it added us (npm apps; the app's own packages may bring some). */
  readonly problemsBefore: readonly string[];
}

/** A framework's app on one OpenTelemetry line (langchain-apps.ts, mcp-apps.ts). */
export interface FrameworkAppCase {
  /** Matched by LINES_ONLY. */
  key: string;
  line: OtelLine;
  tracing: 'sdk-trace-base' | 'sdk-trace';
  /** The Node the app runs on (a framework may need Node 22). */
  runtime(n22: Runtime, n20: Runtime): Runtime;
  name: string;
  dependencies: Record<string, string>;
  /** Installed with `--omit=optional` (an `.npmrc` in the app, so that adding us keeps it too). */
  omitOptional?: boolean;
}

/** The app of `c`, installed with npm, our tarball added with a plain `npm install`, `fixtures` copied in (keeping their folders). */
export async function frameworkApp(c: FrameworkAppCase, fixtures: readonly string[], runtime: Runtime, workDir: string, tarball: string): Promise<LineApp> {
  const app = await installedApp(runtime, workDir, tarball, { name: c.name, label: c.key, dependencies: c.dependencies, omitOptional: c.omitOptional });
  copyFixtures(app, [...fixtures]);
  return app;
}

/** An app as its owner installed it, before it adds us. */
export interface AppSpec {
  /** Folder name, unique in the work folder. */
  name: string;
  label: string;
  dependencies: Record<string, string>;
  pm?: PackageManager;
  /** The existing tree was installed with `npm install --legacy-peer-deps`; we are then added plainly. */
  legacyPeerDeps?: boolean;
  /** npm skips optional dependencies in this app (`omit=optional` in its `.npmrc`). */
  omitOptional?: boolean;
}

/** The app of `spec`, installed by its package manager, then our package added with that manager's plain add. */
export async function installedApp(runtime: Runtime, workDir: string, tarball: string, spec: AppSpec): Promise<LineApp> {
  const pm = spec.pm ?? 'npm';
  const dir = newAppDir(workDir, spec.name, spec.dependencies);
  if (spec.omitOptional) fs.writeFileSync(path.join(dir, '.npmrc'), 'omit=optional\n');
  mustSucceed(await installAll(pm, runtime, dir, spec.legacyPeerDeps), `${pm} install`, dir, runtime);
  const problemsBefore = pm === 'npm' ? await npmLsProblemsIn(runtime, dir) : [];
  const added = mustSucceed(await addPackage(pm, runtime, dir, tarball), `${pm} add ${tarball}`, dir, runtime);
  return { label: spec.label, dir, runtime, pm, addOutput: added.stdout + added.stderr, problemsBefore };
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
export function existingApp(runtime: Runtime, line: OtelLine, workDir: string, tarball: string): Promise<LineApp> {
  return installedApp(runtime, workDir, tarball, {
    name: `existing-${line}`, label: `existing ${line} app`, dependencies: { ...LINE_PINS[line], ...LLM_SDKS, ...MORE_LLM_SDKS },
  });
}

/** A new app installed with a README line as typed (the tarball standing in for `@infinium/otel`). */
export async function readmeApp(runtime: Runtime, workDir: string, tarball: string, which: ReadmeLine = 'new-app'): Promise<LineApp> {
  const dir = newAppDir(workDir, `readme-${which}-${runtime.label.replace(/\W/g, '')}`, {});
  const line = readmeInstallLine(which).map((name) => (name === '@infinium/otel' ? tarball : name));
  const added = await mustNpm(runtime, ['install', `--before=${README_RESOLVED_BEFORE}`, ...line], dir);
  await mustNpm(runtime, ['install', ...Object.entries(LLM_SDKS).map(([name, version]) => `${name}@${version}`)], dir);
  return { label: `README app on ${runtime.label}`, dir, runtime, pm: 'npm', addOutput: added.stdout + added.stderr, problemsBefore: [] };
}

/** An app with only our package and none of its peers (`--legacy-peer-deps` skips them; our dependencies come). */
export async function barePeerlessApp(runtime: Runtime, workDir: string, tarball: string): Promise<LineApp> {
  const dir = newAppDir(workDir, 'peerless', {});
  const added = await mustNpm(runtime, ['install', '--legacy-peer-deps', tarball], dir);
  return { label: 'app without peers', dir, runtime, pm: 'npm', addOutput: added.stdout + added.stderr, problemsBefore: [] };
}

/** An app with the API and instrumentation packages of the 2.x line but no sdk-node. */
export function noSdkApp(runtime: Runtime, workDir: string, tarball: string): Promise<LineApp> {
  return installedApp(runtime, workDir, tarball, {
    name: 'no-sdk', label: 'app without sdk-node',
    dependencies: { '@opentelemetry/api': '1.9.1', '@opentelemetry/core': '2.12.1', '@opentelemetry/instrumentation': '0.223.0' },
  });
}

/** The installed version of `name` at the app's top level. */
export function installedVersion(app: LineApp, name: string): string | undefined {
  const file = path.join(app.dir, 'node_modules', name, 'package.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version : undefined;
}

/**
 * Copies of the SDK packages that our package would load instead of the app's (there must be none). npm
 * and yarn: any of them under our own folder. pnpm: any of them in our package's virtual-store folder that
 * is not a link to the app's own (pnpm links the peers we share with the app there).
 */
export function nestedSdkCopies(app: LineApp): string[] {
  const ours = ourPackageDir(app);
  if (app.pm !== 'pnpm') return MUST_NOT_NEST.filter((name) => fs.existsSync(path.join(ours, 'node_modules', name)));
  const besideUs = path.resolve(ours, '..', '..');
  return MUST_NOT_NEST.filter((name) => {
    const sibling = path.join(besideUs, name);
    if (!fs.existsSync(sibling)) return false;
    const appsOwn = path.join(app.dir, 'node_modules', name);
    return !fs.existsSync(appsOwn) || fs.realpathSync(sibling) !== fs.realpathSync(appsOwn);
  });
}

/** Our package's real folder (under pnpm, in its virtual store). */
export function ourPackageDir(app: LineApp): string {
  return fs.realpathSync(path.join(app.dir, 'node_modules', '@infinium', 'otel'));
}

/** The `@opentelemetry/instrumentation` our package loads: its version and real folder. */
export function instrumentationWeLoad(app: LineApp): { version: string; dir: string } {
  const file = createRequire(path.join(ourPackageDir(app), 'package.json')).resolve('@opentelemetry/instrumentation/package.json');
  return { version: (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version, dir: path.dirname(file) };
}

/**
 * The distinct files `id` resolves to from the app, from our package and from the instrumentation package we
 * load (and its api-logs): one for `@opentelemetry/api` (a second copy would be a second, empty global registry);
 * one for `import-in-the-middle`, whose loader hook (registered by us) and `Hook` (used by the
 * instrumentation package) must be the same copy for ESM modules to be patched.
 */
export function copiesOf(app: LineApp, id: string, fromApp = true): string[] {
  const instrumentation = path.join(instrumentationWeLoad(app).dir, 'package.json');
  const from = [path.join(ourPackageDir(app), 'package.json'), instrumentation];
  if (fromApp) from.unshift(path.join(app.dir, 'package.json'));
  // The instrumentation package's api-logs depends on the api (a dependency, not a peer): its copy counts too.
  if (id === '@opentelemetry/api') from.push(createRequire(instrumentation).resolve('@opentelemetry/api-logs'));
  return [...new Set(from.map((file) => fs.realpathSync(createRequire(file).resolve(id))))];
}

/**
 * Problems that adding us brought: for npm, what `npm ls --all` reports now and did not before (optional
 * peers not installed are fine); for pnpm and yarn, the peer warnings that name our package.
 */
export async function installProblems(app: LineApp): Promise<string[]> {
  if (app.pm !== 'npm') return peerWarningsAbout(app.pm, app.addOutput, '@infinium/otel');
  const before = new Set(app.problemsBefore);
  return (await npmLsProblemsIn(app.runtime, app.dir)).filter((p) => !before.has(p));
}

async function npmLsProblemsIn(runtime: Runtime, dir: string): Promise<string[]> {
  const result = await npm(runtime, ['ls', '--all', '--json'], dir);
  const problems = (JSON.parse(result.stdout) as { problems?: string[] }).problems ?? [];
  return problems.filter((p) => !/^missing: .* required by .*optional/.test(p));
}

/** Copies the test's fixture apps into the app folder (keeping their folders), so that they resolve packages from its node_modules. */
export function copyFixtures(app: LineApp, names: string[]): void {
  for (const name of names) {
    fs.mkdirSync(path.dirname(path.join(app.dir, name)), { recursive: true });
    fs.copyFileSync(path.join(__dirname, 'fixtures', name), path.join(app.dir, name));
  }
}

function newAppDir(workDir: string, name: string, dependencies: Record<string, string>): string {
  const dir = path.join(workDir, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, dependencies }, null, 2));
  return dir;
}

async function mustNpm(runtime: Runtime, args: string[], dir: string): Promise<ProcessResult> {
  return mustSucceed(await npm(runtime, args, dir), `npm ${args.join(' ')}`, dir, runtime);
}

function mustSucceed(result: ProcessResult, what: string, dir: string, runtime: Runtime): ProcessResult {
  if (result.code !== 0) throw new Error(`${what} failed in ${dir} (${runtime.label}):\n${result.stderr}${result.stdout}`);
  return result;
}
