/**
 * JSON at the edges of the call record: request and response values we did not create may hold cycles or
 * BigInts, and foreign attributes may hold text that is not JSON. Neither ever throws here.
 */

/** JSON.stringify that never throws (cycles, BigInt): failure is `undefined`. */
export function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** JSON.parse of a string that never throws: anything else, or text that is not JSON, is `undefined`. */
export function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Tools offered to a model, each as the JSON schema string `llm.tools.<i>.tool.json_schema` records. */
export function toolSchemas(tools: readonly unknown[]): string[] | undefined {
  const out: string[] = [];
  for (const tool of tools) {
    const json = safeJson(tool);
    if (json !== undefined) out.push(json);
  }
  return out.length > 0 ? out : undefined;
}

/** Tool-call arguments as the record keeps them: a JSON string as it is, an object (some APIs send one) as JSON. */
export function argumentsJson(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return value === undefined || value === null ? undefined : safeJson(value);
}
