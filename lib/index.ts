export { InfiniumInstrumentation } from './instrumentation/instrumentation';
export type { InfiniumInstrumentationConfig } from './instrumentation/types';
export { InfiniumSpanProcessor } from './processor/span-processor';
export type { InfiniumSpanProcessorOptions } from './processor/span-processor';
export { resolveTraceConfig } from './masking/trace-config';
export type { TraceConfig, TraceConfigOptions } from './masking/trace-config';
export type { Convention, Conventions, SemconvOptions } from './config/semconv';
export type { CostOptions, UserModelPrice } from './cost/pricing';
export { maskAttribute, maskAttributes, REDACTED } from './masking/mask';
export type { CallCost, CallRecord, Message, MessagePart, ToolCall, Usage } from './record/call-record';
export { renderCallRecord } from './semconv/render';
export { INFINIUM } from './semconv/attributes';
export type { ProviderName } from './providers/types';
export { DEFAULT_MAX_OPEN_TRACES } from './config/trace-limits';
export { trace } from './helpers/trace';
export type { TraceOptions, TraceKind } from './helpers/trace';
export { recordPromptFetch } from './helpers/prompt-fetch';
export { getCurrentTraceContext } from './helpers/trace-context';
export type { TraceContext, LlmCallInfo, PromptFetch } from './helpers/trace-context';
export { setSession, setUser, setMetadata, setTags } from './helpers/context-attributes';
export type { InfiniumOTelExporterOptions, ExportTraceArgs } from './exporter/infinium-otel-exporter';
export type { TreeSpanExporterOptions } from './exporter/tree-exporter';

import type * as InfiniumExporterModule from './exporter/infinium-otel-exporter';
import type * as TreeExporterModule from './exporter/tree-exporter';

/**
 * The exporters load when an app first reads them (`require('@infinium/otel').TreeSpanExporter`), not with
 * the package: most apps export through NodeSDK's own exporter. The two statements below keep the form of
 * a compiled re-export (a getter returning `object.name`), which Node's CommonJS export lexer recognizes, so
 * `import { TreeSpanExporter } from '@infinium/otel'` still resolves (an ESM app's import reads them, and so
 * loads them, at once). On `module.exports`, not `exports`: esbuild's CommonJS output (tsx) replaces it.
 * test/packaging/module-load.test.ts checks both kinds of app.
 */
const lazyExports = {
  get InfiniumOTelExporter(): typeof InfiniumExporterModule.InfiniumOTelExporter {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./exporter/infinium-otel-exporter') as typeof InfiniumExporterModule).InfiniumOTelExporter;
  },
  get TreeSpanExporter(): typeof TreeExporterModule.TreeSpanExporter {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./exporter/tree-exporter') as typeof TreeExporterModule).TreeSpanExporter;
  },
};
Object.defineProperty(module.exports, 'InfiniumOTelExporter', { enumerable: true, get: function () { return lazyExports.InfiniumOTelExporter; } });
Object.defineProperty(module.exports, 'TreeSpanExporter', { enumerable: true, get: function () { return lazyExports.TreeSpanExporter; } });
export declare const InfiniumOTelExporter: typeof InfiniumExporterModule.InfiniumOTelExporter;
export type InfiniumOTelExporter = InfiniumExporterModule.InfiniumOTelExporter;
export declare const TreeSpanExporter: typeof TreeExporterModule.TreeSpanExporter;
export type TreeSpanExporter = TreeExporterModule.TreeSpanExporter;
