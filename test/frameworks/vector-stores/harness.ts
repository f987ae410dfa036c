import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { createTracing, llmSpans, type TestTracing, useInstrumentation } from '../../helpers/tracing';
import { FakeStores } from './fake-stores';
import { PINECONE_SDKS, type PineconeSdk, QDRANT_SDKS, type QdrantSdk } from './store-sdks';

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

/** A Chroma embedding function that embeds in process (no model call): every text is [1, 2, 3]. */
const embeddingFunction = { generate: async (texts: string[]) => texts.map(() => [1, 2, 3]) };

/**
 * The stores' test pipeline: the process-wide instrumentation writing to an in-memory exporter, the three SDKs
 * loaded once it is enabled (as an app loads them after its tracing file), one local server answering their
 * REST shapes, and clients pointed at it. Pinecone and Qdrant are their main packages unless a suite names
 * another major (an npm alias, store-sdks.ts).
 */
export interface Stores {
  tracing: TestTracing;
  server: FakeStores;
  port: number;
  sdk: { Pinecone: any; Index: any; QdrantClient: any; ChromaClient: any };
  /** The majors of Pinecone and Qdrant this suite runs on (store-sdks.ts). */
  pinecone: PineconeSdk;
  qdrantSdk: QdrantSdk;
  /** The one span of ours the test made (fails otherwise). */
  only(): Promise<ReadableSpan>;
  pineconeIndex(host?: string): any;
  qdrant(): any;
  chromaCollection(name?: string): Promise<any>;
  /** `server.address` and `server.port` of the local server. */
  local(): { 'server.address': string; 'server.port': number };
  /** A RETRIEVER span's keys on the local server before its answer's (`extra`: top_k, returned rows, …; then the documents). */
  retriever(system: string, operation: string, collection: string, extra: Record<string, unknown>): Record<string, unknown>;
}

export function useStores(majors: { pinecone?: PineconeSdk; qdrant?: QdrantSdk } = {}): Stores {
  const tracing = createTracing();
  const stores = { tracing, sdk: {}, pinecone: majors.pinecone ?? PINECONE_SDKS[0], qdrantSdk: majors.qdrant ?? QDRANT_SDKS[0] } as Stores;
  before(async function () {
    // Loading three SDKs through tsx takes over 20 s on a busy machine.
    this.timeout(120_000);
    const { instrumentation } = useInstrumentation(tracing);
    const { Pinecone, Index } = stores.pinecone.load(instrumentation);
    const { QdrantClient } = stores.qdrantSdk.load(instrumentation);
    const { ChromaClient } = require('chromadb');
    stores.sdk = { Pinecone, Index, QdrantClient, ChromaClient };
    stores.server = await new FakeStores().start();
    stores.port = Number(new URL(stores.server.origin).port);
  });
  after(() => stores.server.stop());
  beforeEach(() => {
    useInstrumentation(tracing);
    tracing.reset();
    stores.server.seen.length = 0;
  });
  stores.only = async () => {
    const spans = llmSpans(await tracing.spans());
    expect(spans.map((s) => s.name)).to.have.length(1);
    return spans[0];
  };
  stores.pineconeIndex = (host = stores.server.origin) => stores.pinecone.index(stores.sdk, { apiKey: 'sk-test' }, 'products', host);
  stores.qdrant = () => new stores.sdk.QdrantClient({ url: stores.server.origin, checkCompatibility: false });
  stores.chromaCollection = (name = 'notes') =>
    new stores.sdk.ChromaClient({ host: '127.0.0.1', port: stores.port, tenant: 't1', database: 'd1' }).getCollection({ name, embeddingFunction });
  stores.local = () => ({ 'server.address': '127.0.0.1', 'server.port': stores.port });
  stores.retriever = (system, operation, collection, extra) => ({
    'openinference.span.kind': 'RETRIEVER',
    'db.system.name': system,
    'db.operation.name': operation,
    'db.collection.name': collection,
    'db.query.summary': `${operation} ${collection}`,
    ...stores.local(),
    ...extra,
  });
  return stores;
}
