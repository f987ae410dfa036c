/** The instrumentation scope of every span this package starts. Kept in step with package.json by a test. */
export const PACKAGE_NAME = '@infinium/otel';
export const PACKAGE_VERSION = '0.1.0';
