/**
 * How many traces whose local root is still open `InfiniumSpanProcessor` tracks at once, unless told
 * otherwise (`maxOpenTraces`, `INFINIUM_MAX_OPEN_TRACES`). Lives in config, which imports nothing above it,
 * so that both the processor and the register entry's configuration read it.
 */
export const DEFAULT_MAX_OPEN_TRACES = 10_000;
