import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

/**
 * Every major of a store's SDK the suites run on, described once: how to load it and the calls whose
 * arguments changed between majors. The main packages are patched by the require hook; the npm aliases of
 * other majors (`pinecone-v2`, …) have another module name, which the hook does not know, so they are
 * patched as a bundled app's are, through `manuallyInstrument` (the same definitions and wrappers).
 */
type Load = (instrumentation: InfiniumInstrumentation) => any;

function hooked(name: string): Load {
  return () => require(name);
}

function aliased(alias: string): Load {
  return (instrumentation) => {
    const sdk = require(alias);
    instrumentation.manuallyInstrument(sdk);
    return sdk;
  };
}

export interface PineconeSdk {
  readonly label: string;
  readonly load: Load;
  /** An index handle: by name and host, or by name only (the client resolves the host through the control plane). */
  index(sdk: any, config: Record<string, unknown>, name: string, host?: string): any;
  upsert(index: any, records: Array<{ id: string; values: number[] }>): Promise<unknown>;
  fetch(index: any, ids: string[]): Promise<unknown>;
  deleteOne(index: any, id: string): Promise<unknown>;
  deleteMany(index: any, ids: string[]): Promise<unknown>;
  /** `searchRecords` (integrated inference, 2025), not in 2.x. */
  readonly searchRecords: boolean;
  /** The documents API (`index.documents.*`), from 9.x. */
  readonly documents: boolean;
}

/** 2.x (up to 6.x) takes positional arguments and bare arrays; 7.x on take option objects (the positional `index` stays). */
const PINECONE_2_CALLS = {
  index: (sdk: any, config: Record<string, unknown>, name: string, host?: string) => new sdk.Pinecone(config).index(name, host),
  upsert: (index: any, records: unknown[]) => index.upsert(records),
  fetch: (index: any, ids: string[]) => index.fetch(ids),
  deleteOne: (index: any, id: string) => index.deleteOne(id),
  deleteMany: (index: any, ids: string[]) => index.deleteMany(ids),
  searchRecords: false,
};
const PINECONE_OPTIONS_CALLS = {
  index: (sdk: any, config: Record<string, unknown>, name: string, host?: string) => new sdk.Pinecone(config).index({ name, host }),
  upsert: (index: any, records: unknown[]) => index.upsert({ records }),
  fetch: (index: any, ids: string[]) => index.fetch({ ids }),
  deleteOne: (index: any, id: string) => index.deleteOne({ id }),
  deleteMany: (index: any, ids: string[]) => index.deleteMany({ ids }),
  searchRecords: true,
};

export const PINECONE_SDKS: readonly PineconeSdk[] = [
  { label: 'Pinecone 8.2.0', load: hooked('@pinecone-database/pinecone'), ...PINECONE_OPTIONS_CALLS, documents: false },
  { label: 'Pinecone 2.2.2 (pinecone-v2)', load: aliased('pinecone-v2'), ...PINECONE_2_CALLS, documents: false },
  { label: 'Pinecone 9.0.0 (pinecone-v9)', load: aliased('pinecone-v9'), ...PINECONE_OPTIONS_CALLS, documents: true },
];

export interface QdrantSdk {
  readonly label: string;
  readonly load: Load;
  /** The universal query API (`query`, `queryBatch`, `queryGroups`), from 1.10. */
  readonly universalQuery: boolean;
}

export const QDRANT_SDKS: readonly QdrantSdk[] = [
  { label: 'Qdrant 1.18.0', load: hooked('@qdrant/js-client-rest'), universalQuery: true },
  { label: 'Qdrant 1.8.2 (qdrant-v1-8)', load: aliased('qdrant-v1-8'), universalQuery: false },
];
