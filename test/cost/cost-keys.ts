import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** The span's `llm.cost.*` keys, for exact comparison (no other key starts so). */
export function costKeys(span: ReadableSpan): Record<string, unknown> {
  return Object.fromEntries(Object.entries(span.attributes).filter(([key]) => key.startsWith('llm.cost.')));
}

/** A fresh price file (`INFINIUM_PRICES_FILE`) holding `content`: a file is read once per process and path. */
export function priceFile(content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infinium-prices-'));
  const file = path.join(dir, 'prices.json');
  fs.writeFileSync(file, content);
  return file;
}
