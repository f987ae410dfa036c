// Mocha adds files named on the command line to the configured `spec`, so `npx mocha test/x.test.ts`
// would run the whole suite: the default spec applies only when no test file is named.
const named = process.argv.slice(2).some((arg) => !arg.startsWith('-') && /\.(test|integration)\.ts$/.test(arg));

module.exports = {
  'node-option': ['import=tsx', 'expose-gc'],
  extension: ['ts'],
  spec: named ? [] : ['test/**/*.test.ts'],
  recursive: true,
  timeout: 20000,
  exit: true,
};
