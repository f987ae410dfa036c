import { diag } from '@opentelemetry/api';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import fs from 'node:fs';
import * as nodeModule from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { processEnv, readBoolean } from '../config/env';
import { appDirs } from './app-dirs';
import { CLAUDE_AGENT_SDK } from '../frameworks/claude-agent/files';
import { LANGCHAIN_ESM_FILES } from '../frameworks/langchain/files';
import { MCP_ESM_INCLUDE } from '../frameworks/mcp/files';

/**
 * The SDK modules our instrumentation hooks. They are handed to the loader up front, so the loader
 * knows them before the app's first `import` even though a CommonJS entry cannot wait for the
 * message channel's acknowledgement (no top-level await). Other `Hook()`s still reach the loader
 * through the channel.
 */
export const ESM_HOOKED_MODULES: readonly string[] = ['openai', '@anthropic-ai/sdk', '@google/genai', '@google/generative-ai', CLAUDE_AGENT_SDK];

/**
 * Packages that ship ESM only: a CommonJS app can load them only through `import()`, which only the loader
 * hook sees. Where one is installed, a CommonJS app gets the hook too (`esmOnlySdkInstalled`).
 */
const ESM_ONLY_SDKS: readonly string[] = [CLAUDE_AGENT_SDK];

/**
 * Files inside a package that we patch in its ESM build, matched on their URL: the package imports them by
 * relative specifiers, which no package name in the list above matches (LangChain's `dist/…/*.js`).
 */
export const ESM_HOOKED_FILES: readonly RegExp[] = [LANGCHAIN_ESM_FILES, ...MCP_ESM_INCLUDE];

/** Process-wide, so that the register entry, every instance and every copy of the package register one hook. */
const HOOK_STATE_KEY = Symbol.for('@infinium/otel/esm-loader-hook');
type GlobalWithHookState = typeof globalThis & { [HOOK_STATE_KEY]?: boolean };

/** Flags by which an app already loads import-in-the-middle's hook itself (a second one would wrap twice). */
const EXISTING_HOOK_MARKERS = ['import-in-the-middle/hook.mjs', '@opentelemetry/instrumentation/hook.mjs'];

/**
 * Registers import-in-the-middle's loader hook, so that `import OpenAI from 'openai'` in an ESM app
 * is patched (default export included) with no loader flag. Must run before the app imports the SDK,
 * so a NodeSDK file loaded with `--import` (or `--require`) is early enough; a static `import` of that
 * file from the app's entry is not (ESM loads the whole import graph before running any of it).
 * Registers once per process; returns true when a hook is in place (ours or the app's own). `modules`
 * adds to the SDK modules the loader is told about up front (the instrumentation passes its own).
 */
export function registerEsmLoaderHook(modules: readonly string[] = []): boolean {
  const state = globalThis as GlobalWithHookState;
  if (state[HOOK_STATE_KEY] !== undefined) return state[HOOK_STATE_KEY];
  // A module hooked by absolute path (the MCP SDK's CommonJS protocol file) is a CommonJS-only hook: the
  // loader's include list takes only bare specifiers, file URLs and patterns, and refuses the whole list otherwise.
  const named = modules.filter((name) => !path.isAbsolute(name));
  // An instance that patches none of the ESM-only SDKs (INFINIUM_INSTRUMENTATIONS=openai) has no reason to
  // register the hook in a CommonJS app for one; the register entry, which names none, looks for them all.
  const esmOnly = modules.length > 0 ? ESM_ONLY_SDKS.filter((name) => modules.includes(name)) : ESM_ONLY_SDKS;
  state[HOOK_STATE_KEY] = tryRegister([...new Set([...ESM_HOOKED_MODULES, ...named]), ...ESM_HOOKED_FILES], esmOnly);
  return state[HOOK_STATE_KEY];
}

function tryRegister(include: Array<string | RegExp>, esmOnly: readonly string[]): boolean {
  const wanted = readBoolean(processEnv(), 'INFINIUM_ESM_HOOK');
  // Checked last and once per process: an ESM app, or INFINIUM_ESM_HOOK either way, never looks for a package.
  if (wanted === false || (wanted === undefined && !entryLooksLikeEsm(process.argv[1]) && !esmOnlySdkInstalled(appDirs(), esmOnly))) {
    diag.debug('@infinium/otel: not registering the ESM loader hook (INFINIUM_ESM_HOOK, or a CommonJS entry point without an ESM-only SDK)');
    return false;
  }
  // Node runs `--require` preloads in its module-hooks thread too, and registering hooks from there
  // kills the process; app worker threads share the main thread's hooks.
  if (!isMainThread) return false;
  if (appLoadsHookItself()) {
    diag.debug('@infinium/otel: the app loads an import-in-the-middle hook itself; not registering another');
    return true;
  }
  const register = (nodeModule as { register?: typeof nodeModule.register }).register;
  if (typeof register !== 'function') {
    diag.warn('@infinium/otel: this Node.js has no module.register; ESM imports of the LLM SDKs will not be patched');
    return false;
  }
  try {
    const { registerOptions } = createAddHookMessageChannel();
    const data = registerOptions.data as { include?: Array<string | RegExp> };
    data.include = include;
    register('import-in-the-middle/hook.mjs', pathToFileURL(__filename).href, registerOptions);
    return true;
  } catch (err) {
    diag.warn('@infinium/otel: the ESM loader hook could not be registered; ESM imports of the LLM SDKs will not be patched', err);
    return false;
  }
}

/**
 * Whether the app's entry point runs as ESM: `.mjs`/`.mts`, a `"type": "module"` package, or a typeless
 * `.js`/`.ts` written with `import`/`export` (Node 22 detects those as ESM). A CommonJS app needs no loader
 * hook, and registering one has a cost there: Node then runs every `--require` preload (the app's
 * tracing file, NodeSDK and all) a second time, inside the hooks thread. Unknown entries (`-e`, a REPL,
 * an unreadable file) get the hook. `INFINIUM_ESM_HOOK=true` forces it (a CommonJS app that `import()`s
 * an SDK); a CommonJS app with an ESM-only SDK installed gets it without asking (`esmOnlySdkInstalled`).
 */
export function entryLooksLikeEsm(entry: string | undefined): boolean {
  if (!entry) return true;
  try {
    const file = path.resolve(entry);
    const ext = path.extname(file);
    if (ext === '.mjs' || ext === '.mts') return true;
    if (ext === '.cjs' || ext === '.cts') return false;
    const type = packageTypeOf(path.dirname(file));
    if (type !== undefined) return type === 'module';
    return /^\s*(import\s*[\w{*'"]|export\s)/m.test(fs.readFileSync(file, 'utf8'));
  } catch {
    return true;
  }
}

/**
 * Whether one of `sdks`, ESM-only SDKs we patch (the Claude Agent SDK), is installed where the app's own
 * `import()` finds it (`appDirs()`: the working directory, the main module's and the main script's
 * directories). A CommonJS app loads such an SDK through `import()` and is traced only with the hook, so the
 * hook is worth its cost there; an app without one pays a few failed lookups, once (about 0.6 ms at start).
 * Nothing is loaded: the package is only resolved. A copy only another package resolves (nested in its
 * node_modules) is not found: such an app sets INFINIUM_ESM_HOOK=true (docs/frameworks/claude-agent-sdk.md).
 */
export function esmOnlySdkInstalled(bases: readonly string[] = appDirs(), sdks: readonly string[] = ESM_ONLY_SDKS): boolean {
  for (const base of new Set(bases)) {
    for (const name of sdks) {
      try {
        require.resolve(name, { paths: [base] });
        return true;
      } catch (err) {
        // Installed, with an `exports` map that offers `require` nothing (an `import`-only condition): still there.
        if ((err as { code?: unknown } | null)?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return true;
        // Otherwise not installed where this base looks.
      }
    }
  }
  return false;
}

/** The `type` of the nearest package.json above `dir` ('module', 'commonjs'), undefined when none says. */
function packageTypeOf(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const file = path.join(current, 'package.json');
    if (fs.existsSync(file)) {
      const type = (JSON.parse(fs.readFileSync(file, 'utf8')) as { type?: unknown }).type;
      return typeof type === 'string' ? type : undefined;
    }
    if (path.dirname(current) === current) return undefined;
  }
}

function appLoadsHookItself(): boolean {
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  return EXISTING_HOOK_MARKERS.some((marker) => flags.includes(marker));
}

const reportedPreloads = new Set<string>();

/**
 * Says once per module when an SDK we patch was already `require`d before the instrumentation was
 * enabled: the require hook never sees it again, so its calls would silently go untraced. (Modules
 * loaded through ESM `import` leave no trace a library can inspect; only CommonJS loads are found.)
 */
export function reportSdksLoadedBeforePatching(moduleNames: readonly string[]): void {
  const cached = Object.keys(require.cache);
  for (const name of moduleNames) {
    if (reportedPreloads.has(name)) continue;
    const marker = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`;
    if (!cached.some((file) => file.includes(marker))) continue;
    reportedPreloads.add(name);
    diag.warn(
      `@infinium/otel: ${name} was loaded before InfiniumInstrumentation was enabled, so its calls are not traced; ` +
        `start tracing before the app loads ${name} (load the tracing file with --require or --import), ` +
        'or pass the module to manuallyInstrument()',
    );
  }
}
