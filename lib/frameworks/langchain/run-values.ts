import { asRecord, asString, type Json } from '../../record/read';
import { isMessageView, lcView, messageOfView, messagesOf } from './llm-messages';

/**
 * What a LangChain run carries besides its kind: its inputs and outputs in a readable form, and the
 * session, user, metadata and tags of the app's config.
 */

/** Deeper than this a value is left as it is (its JSON then says what it is). */
const MAX_DEPTH = 4;
/** Longer lists are cut here: the text cap would cut their JSON anyway, and a copy of 100,000 items costs. */
const MAX_ITEMS = 1000;

/**
 * A run's input or output as `input.value`/`output.value` show it: LangChain's coercion of a plain value
 * (`{ input: x }`, `{ output: x }`) unwrapped, messages as `{ role, content, … }` instead of their
 * serialized form, prompt values as their messages or text, documents as their content and metadata.
 */
export function runValue(value: unknown, wrapper: 'input' | 'output'): unknown {
  const obj = asRecord(value);
  if (obj && Object.getPrototypeOf(obj) === Object.prototype) {
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === wrapper) return readable(obj[wrapper], 0);
  }
  return readable(value, 0);
}

function readable(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = value.length > MAX_ITEMS ? value.slice(0, MAX_ITEMS) : value;
    return items.map((item) => readable(item, depth + 1));
  }
  const view = lcView(value);
  if (!view) return value;
  if (isMessageView(view)) return messageOfView(view);
  switch (view.className) {
    case 'ChatPromptValue':
      return messagesOf(view.fields.messages);
    case 'StringPromptValue':
      return view.fields.value;
    case 'Document':
      return documentValue(view.fields);
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Json = {};
  for (const key of Object.keys(value)) out[key] = readable((value as Json)[key], depth + 1);
  return out;
}

function documentValue(fields: Json): Json {
  const out: Json = { pageContent: fields.pageContent };
  if (fields.id !== undefined) out.id = fields.id;
  if (fields.metadata !== undefined) out.metadata = fields.metadata;
  return out;
}

/** The session and the user a run belongs to, from its config's metadata (LangGraph copies `configurable.thread_id` there). */
export interface RunIdentity {
  sessionId?: string;
  userId?: string;
}

export function identityOf(metadata: unknown): RunIdentity {
  const m = asRecord(metadata);
  if (!m) return {};
  const configurable = asRecord(m.configurable);
  return {
    sessionId: idText(m.session_id) ?? idText(m.thread_id) ?? idText(configurable?.thread_id),
    userId: idText(m.user_id),
  };
}

function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const text = asString(value);
  return text === '' ? undefined : text;
}

/** Metadata LangChain and LangGraph add to every run (model settings, graph steps, versions): not the app's. */
function isFrameworkKey(key: string): boolean {
  return key.startsWith('ls_') || key.startsWith('langgraph_') || key.startsWith('__') || key === 'checkpoint_ns' || key === 'versions';
}

/**
 * The app's own metadata of a run (`metadata`), without what the framework adds; undefined when none is left.
 * It is not content: what is left are the labels the app chose (tenant, team, ids), which, like session and
 * user, the masking flags keep (OpenInference's HIDE_* name no metadata key), on the run's spans and on the
 * attributes offered to the SDK's LLM span. LangChain puts no input or output there; the keys it and
 * LangGraph add (settings, steps, checkpoints) are dropped here.
 */
export function appMetadata(metadata: unknown): Record<string, unknown> | undefined {
  const m = asRecord(metadata);
  if (!m) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(m)) {
    if (isFrameworkKey(key) || m[key] === undefined) continue;
    (out ??= {})[key] = m[key];
  }
  return out;
}

/** Tags LangChain adds to place a run in its sequence or graph step. */
const FRAMEWORK_TAG = /^(?:seq:step:\d+|graph:step:\d+|langsmith:)/;

/** The app's tags of a run (`tag.tags`); undefined when none. */
export function appTags(tags: unknown): string[] | undefined {
  if (!Array.isArray(tags)) return undefined;
  const out = tags.filter((tag): tag is string => typeof tag === 'string' && !FRAMEWORK_TAG.test(tag));
  return out.length > 0 ? out : undefined;
}

/** True when LangChain tagged the run as a step of a LangGraph graph (`graph:step:N`): a graph node's run. */
export function isGraphStep(tags: unknown): boolean {
  return Array.isArray(tags) && tags.some((tag) => typeof tag === 'string' && tag.startsWith('graph:step:'));
}
