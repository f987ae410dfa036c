import { Attributes, Context, createContextKey } from '@opentelemetry/api';
import { OI } from '../semconv/attributes';
import { parseJson, safeJson } from '../record/json';

/**
 * Session, user, metadata and tags carried in the OpenTelemetry context. The keys are the very keys of
 * `@arizeai/openinference-core` (`createContextKey` is `Symbol.for`, so the same description is the same
 * key) and the values are stored in its format (metadata and tags as JSON strings). So our setters and
 * theirs are interchangeable: an app that already calls openinference-core's `setSession` gets the
 * attributes from our processor, and OpenInference tracers read what our setters put in.
 */
function openInferenceKey(name: string): symbol {
  return createContextKey(`OpenInference SDK Context Key ${name}`);
}

const SESSION_KEY = openInferenceKey(OI.SESSION_ID);
const USER_KEY = openInferenceKey(OI.USER_ID);
const METADATA_KEY = openInferenceKey(OI.METADATA);
const TAGS_KEY = openInferenceKey(OI.TAG_TAGS);
const TEMPLATE_KEY = openInferenceKey(OI.PROMPT_TEMPLATE_TEMPLATE);
const TEMPLATE_VARIABLES_KEY = openInferenceKey(OI.PROMPT_TEMPLATE_VARIABLES);
const TEMPLATE_VERSION_KEY = openInferenceKey(OI.PROMPT_TEMPLATE_VERSION);
/** openinference-core's `setAttributes`: a JSON object of arbitrary attributes. */
const ATTRIBUTES_KEY = openInferenceKey('attributes');

/** Every span started in the returned context gets `session.id` (with the processor registered). */
export function setSession(ctx: Context, session: { sessionId: string }): Context {
  const id = session?.sessionId;
  return typeof id === 'string' ? ctx.setValue(SESSION_KEY, id) : ctx;
}

/** Every span started in the returned context gets `user.id`. */
export function setUser(ctx: Context, user: { userId: string }): Context {
  const id = user?.userId;
  return typeof id === 'string' ? ctx.setValue(USER_KEY, id) : ctx;
}

/** Every span started in the returned context gets `metadata`, the object as JSON. */
export function setMetadata(ctx: Context, metadata: Record<string, unknown>): Context {
  const json = metadata !== null && typeof metadata === 'object' ? safeJson(metadata) : undefined;
  return json === undefined ? ctx : ctx.setValue(METADATA_KEY, json);
}

/** Every span started in the returned context gets `tag.tags`, a list of strings. */
export function setTags(ctx: Context, tags: string[]): Context {
  if (!Array.isArray(tags)) return ctx;
  const json = safeJson(tags.filter((t) => typeof t === 'string'));
  return json === undefined ? ctx : ctx.setValue(TAGS_KEY, json);
}

/**
 * The attributes the context asks for, or `undefined` when it carries none (the common case, which
 * allocates nothing). Called by the processor for every span start.
 */
export function contextAttributes(ctx: Context): Attributes | undefined {
  let out: Attributes | undefined;
  const session = ctx.getValue(SESSION_KEY);
  if (typeof session === 'string') (out ??= {})[OI.SESSION_ID] = session;
  const user = ctx.getValue(USER_KEY);
  if (typeof user === 'string') (out ??= {})[OI.USER_ID] = user;
  const metadata = ctx.getValue(METADATA_KEY);
  if (typeof metadata === 'string') (out ??= {})[OI.METADATA] = metadata;
  const tags = ctx.getValue(TAGS_KEY);
  if (typeof tags === 'string') {
    const list = parseStringList(tags);
    if (list) (out ??= {})[OI.TAG_TAGS] = list;
  }
  const template = ctx.getValue(TEMPLATE_KEY);
  if (typeof template === 'string') (out ??= {})[OI.PROMPT_TEMPLATE_TEMPLATE] = template;
  const variables = ctx.getValue(TEMPLATE_VARIABLES_KEY);
  if (typeof variables === 'string') (out ??= {})[OI.PROMPT_TEMPLATE_VARIABLES] = variables;
  const version = ctx.getValue(TEMPLATE_VERSION_KEY);
  if (typeof version === 'string') (out ??= {})[OI.PROMPT_TEMPLATE_VERSION] = version;
  const extra = ctx.getValue(ATTRIBUTES_KEY);
  if (typeof extra === 'string') out = mergeJsonAttributes(out, extra);
  return out;
}

function parseStringList(json: string): string[] | undefined {
  const value = parseJson(json);
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

/** openinference-core's free-form attributes: primitives and homogeneous primitive arrays only. */
function mergeJsonAttributes(out: Attributes | undefined, json: string): Attributes | undefined {
  const value = parseJson(json);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [key, v] of Object.entries(value)) {
    if (isPrimitive(v) || (Array.isArray(v) && v.every(isPrimitive))) (out ??= {})[key] = v as Attributes[string];
  }
  return out;
}

function isPrimitive(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
