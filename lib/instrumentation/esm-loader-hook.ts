import { diag } from '@opentelemetry/api';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import diagnosticsChannel from 'node:diagnostics_channel';
import * as nodeModule from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { processEnv, readBoolean } from '../config/env';
import { appDirs, entryLooksLikeEsm, packageInstalled } from './app-dirs';
import { IMPORT_STARTS, warnOnUntracedLlmRequest } from './untraced-request-warning';
import { CLAUDE_AGENT_SDK } from '../frameworks/claude-agent/files';
import type * as LangChainFiles from '../frameworks/langchain/files';
import type * as McpFiles from '../frameworks/mcp/files';
import type * as AnthropicFiles from '../providers/anthropic/files';
import type * as HuggingFaceFiles from '../providers/huggingface/files';

export { entryLooksLikeEsm } from './app-dirs';

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
 * relative specifiers or subpaths, which no package name in the list above matches (LangChain's `dist/…/*.js`,
 * Hugging Face's task files, `@anthropic-ai/sdk/resources/index`, which its cloud SDKs import instead of the entry).
 * Read when the hook is registered: a CommonJS app that never registers it never loads these lists.
 */
export function esmHookedFiles(): RegExp[] {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return [
    (require('../frameworks/langchain/files') as typeof LangChainFiles).LANGCHAIN_ESM_FILES,
    ...(require('../frameworks/mcp/files') as typeof McpFiles).MCP_ESM_INCLUDE,
    (require('../providers/anthropic/files') as typeof AnthropicFiles).ANTHROPIC_ESM_FILES,
    ...(require('../providers/huggingface/files') as typeof HuggingFaceFiles).HUGGINGFACE_ESM_FILES,
  ];
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Process-wide, so that the register entry, every instance and every copy of the package register one hook. */
const HOOK_STATE_KEY = Symbol.for('@infinium/otel/esm-loader-hook');
type GlobalWithHookState = typeof globalThis & { [HOOK_STATE_KEY]?: HookState };

interface HookState {
  /** A hook is in place (ours, or the app's own). */
  registered: boolean;
  /**
   * Not registered at start, but to be registered before the first `import()` of a package we patch: a
   * CommonJS app with INFINIUM_ESM_HOOK unset (`registerEsmLoaderHookLate`).
   */
  deferred: boolean;
  /** The packages we patch by name: the loader's include list, and what an `import()` is matched against. */
  names: string[];
  stopWatching?: () => void;
  /**
   * The enabled instrumentations that want the deferred hook: when the last one is disabled, nothing watches
   * `import()` any more, until one is enabled again. Absent in a state made by an older copy of the package.
   */
  holders?: Set<object>;
}

/** Flags by which an app already loads import-in-the-middle's hook itself (a second one would wrap twice). */
const EXISTING_HOOK_MARKERS = ['import-in-the-middle/hook.mjs', '@opentelemetry/instrumentation/hook.mjs'];

/**
 * Registers import-in-the-middle's loader hook, so that `import OpenAI from 'openai'` in an ESM app
 * is patched (default export included) with no loader flag. Must run before the app imports the SDK,
 * so a NodeSDK file loaded with `--import` (or `--require`) is early enough; a static `import` of that
 * file from the app's entry is not (ESM loads the whole import graph before running any of it).
 * Registers once per process; returns true when a hook is in place (ours or the app's own). `modules`
 * adds to the SDK modules the loader is told about up front (the instrumentation passes its own).
 *
 * A CommonJS entry gets no hook at start (it costs start-up time; docs/frameworks/llamaindex.md has the
 * figures) unless an ESM-only SDK is installed; instead the hook is registered at the moment a
 * package we patch is first `import()`ed (`watchImports`), or a package known to `import()` one is first
 * `require`d (`registerEsmLoaderHookLate`). INFINIUM_ESM_HOOK=true/false forces either way.
 */
export function registerEsmLoaderHook(modules: readonly string[] = [], holder?: object): boolean {
  const state = globalThis as GlobalWithHookState;
  // A module hooked by absolute path (the MCP SDK's CommonJS protocol file) is a CommonJS-only hook: the
  // loader's include list takes only bare specifiers, file URLs and patterns, and refuses the whole list otherwise.
  const named = modules.filter((name) => !path.isAbsolute(name));
  const existing = state[HOOK_STATE_KEY];
  if (existing !== undefined) {
    if (holder) (existing.holders ??= new Set()).add(holder);
    if (existing.deferred) {
      // The register entry registers first, naming no module; the instance's own names still count for later.
      existing.names = [...new Set([...existing.names, ...named])];
      // Enabled again after every instrumentation was disabled: watch again.
      if (holder && existing.stopWatching === undefined) existing.stopWatching = watchImports(existing);
    }
    return existing.registered;
  }
  const hook: HookState = { registered: false, deferred: false, names: [...new Set([...ESM_HOOKED_MODULES, ...named])] };
  if (holder) hook.holders = new Set([holder]);
  state[HOOK_STATE_KEY] = hook;
  const wanted = readBoolean(processEnv(), 'INFINIUM_ESM_HOOK');
  if (wanted === false) {
    diag.debug('@infinium/otel: not registering the ESM loader hook (INFINIUM_ESM_HOOK=false)');
    return false;
  }
  // An instance that patches none of the ESM-only SDKs (INFINIUM_INSTRUMENTATIONS=openai) has no reason to
  // register the hook at start in a CommonJS app for one; the register entry, which names none, looks for them all.
  const esmOnly = modules.length > 0 ? ESM_ONLY_SDKS.filter((name) => modules.includes(name)) : ESM_ONLY_SDKS;
  // Checked last and once per process: an ESM app, or INFINIUM_ESM_HOOK=true, never looks for a package.
  if (wanted === undefined && !entryLooksLikeEsm(process.argv[1]) && !esmOnlySdkInstalled(appDirs(), esmOnly)) {
    diag.debug('@infinium/otel: CommonJS entry point: the ESM loader hook waits for the first import() of a patched package');
    hook.deferred = true;
    hook.stopWatching = watchImports(hook);
    return false;
  }
  hook.registered = install(hook.names);
  return hook.registered;
}

/**
 * `holder` (an instrumentation) was disabled. When no enabled instrumentation is left, a deferred hook stops
 * waiting for `import()` (and Node 20's request watch stops): an app that disabled us gets no hook later.
 */
export function releaseEsmLoaderHook(holder: object): void {
  const hook = (globalThis as GlobalWithHookState)[HOOK_STATE_KEY];
  if (!hook?.holders?.delete(holder) || hook.holders.size > 0 || !hook.deferred) return;
  hook.stopWatching?.();
  hook.stopWatching = undefined;
  diag.debug('@infinium/otel: every instrumentation disabled: the deferred ESM loader hook stops watching import()');
}

/**
 * Registers the deferred hook now (see `registerEsmLoaderHook`): `reason` says why, for the debug line.
 * Called where a package known to `import()` an SDK we patch is first `require`d (LlamaIndex's
 * `@llamaindex/openai`), before that `import()` runs. A no-op when the hook is in place, or was refused
 * (INFINIUM_ESM_HOOK=false), or no instrumentation is enabled yet. Returns true when a hook is in place.
 */
export function registerEsmLoaderHookLate(reason: string): boolean {
  const hook = (globalThis as GlobalWithHookState)[HOOK_STATE_KEY];
  if (!hook?.deferred) return hook?.registered ?? false;
  hook.deferred = false;
  hook.stopWatching?.();
  hook.registered = install(hook.names);
  diag.debug(`@infinium/otel: ESM loader hook ${hook.registered ? 'registered' : 'not registered'} at ${reason}`);
  return hook.registered;
}

/**
 * Node's `module.import` tracing channel (published by Node 22 and later, not by Node 20) announces every
 * `import()` before its specifier is resolved: the first one naming a package we patch registers the hook,
 * in time for that very import. Costs nothing until then (one comparison per `import()`), and nothing on
 * a Node that does not publish the channel. There, an SDK a dependency `import()`s stays untraced, so its first
 * LLM request says so once (untraced-request-warning.ts); the first announced `import()` ends that watch.
 * Returns how to stop watching.
 */
function watchImports(hook: HookState): (() => void) | undefined {
  let stopRequestWatch = warnOnUntracedLlmRequest();
  const onImport = (message: unknown) => {
    // This Node announces import(): the hook comes in time, the request watch is not needed.
    stopRequestWatch?.();
    stopRequestWatch = undefined;
    const specifier = (message as { url?: unknown } | null)?.url;
    if (typeof specifier !== 'string' || !hook.names.some((name) => specifier === name || specifier.startsWith(`${name}/`))) return;
    registerEsmLoaderHookLate(`import('${specifier}')`);
  };
  try {
    diagnosticsChannel.subscribe(IMPORT_STARTS, onImport);
    return () => {
      stopRequestWatch?.();
      diagnosticsChannel.unsubscribe(IMPORT_STARTS, onImport);
    };
  } catch (err) {
    diag.debug('@infinium/otel: cannot watch import() (module.import channel)', err);
    return stopRequestWatch;
  }
}

/** Registers the hook, in this thread where import-in-the-middle can, else off-thread; true when a hook is in place. */
function install(names: readonly string[]): boolean {
  // Node runs `--require` preloads in its module-hooks thread too, and registering hooks from there
  // kills the process; app worker threads share the main thread's hooks.
  if (!isMainThread) return false;
  if (appLoadsHookItself()) {
    diag.debug('@infinium/otel: the app loads an import-in-the-middle hook itself; not registering another');
    return true;
  }
  const include = [...names, ...esmHookedFiles()];
  if (registerInThread(include)) return true;
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
 * Node's synchronous in-thread hooks (`module.registerHooks`), where import-in-the-middle supports them
 * (Node >= 22.22.3, 24.11.1, 25.1, 26; its own `supportsSyncHooks` says): no loader thread, no second run of
 * the `--require` preloads. Measured here (Node 22.23): about 10 ms and 2–3 MB to register, against 65 ms and 17–19 MB for
 * `module.register`, whose thread also slowed the next import by about 60 ms. False where not supported.
 */
function registerInThread(include: Array<string | RegExp>): boolean {
  if (typeof (nodeModule as { registerHooks?: unknown }).registerHooks !== 'function') return false;
  try {
    // ESM files, `require`d: every Node with registerHooks loads ESM through require().
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { supportsSyncHooks } = require('import-in-the-middle/supports-sync-hooks.mjs') as { supportsSyncHooks(): boolean };
    if (!supportsSyncHooks()) return false;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('import-in-the-middle/register-hooks.mjs') as { register(options: { include: Array<string | RegExp> }): void }).register({ include });
    return true;
  } catch (err) {
    diag.debug('@infinium/otel: in-thread module hooks unavailable; registering the off-thread loader', err);
    return false;
  }
}

/**
 * Whether one of `sdks`, ESM-only SDKs we patch (the Claude Agent SDK), is installed where the app's own
 * `import()` finds it (app-dirs.ts `packageInstalled`): then a CommonJS app gets the hook at start.
 */
export function esmOnlySdkInstalled(bases: readonly string[] = appDirs(), sdks: readonly string[] = ESM_ONLY_SDKS): boolean {
  return packageInstalled(bases, sdks);
}

function appLoadsHookItself(): boolean {
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  return EXISTING_HOOK_MARKERS.some((marker) => flags.includes(marker));
}
