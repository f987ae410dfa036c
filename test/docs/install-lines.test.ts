import { expect } from 'chai';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

/**
 * What a user types from the docs: every `npm install @infinium/otel …` line in README.md and docs/ is one
 * of the README's Install lines (the new-app line, or one per OpenTelemetry line), and every package the
 * docs examples import is installed by the new-app line, by an add-on line a page gives for an optional
 * feature (metrics), or is the app's own (an LLM SDK, a framework, or a Node built-in). So the docs work under pnpm, where nothing
 * the line did not install can be imported. The lines themselves are installed by `npm run test:lines`.
 */
const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The app's own packages: its LLM SDKs, and the frameworks and their peers it builds its agent with. */
const APP_OWN = new Set([
  'openai', '@anthropic-ai/sdk', '@google/genai', '@google/generative-ai',
  '@langchain/core', '@langchain/openai', '@langchain/langgraph', '@modelcontextprotocol/sdk', 'zod',
  '@openai/agents', '@anthropic-ai/claude-agent-sdk', '@mastra/core',
]);

function docFiles(dir: string, pattern: RegExp): string[] {
  return fs.readdirSync(path.join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => pattern.test(name))
    .map((name) => path.join(dir, name));
}

const MARKDOWN = ['README.md', ...docFiles('docs', /\.md$/)];
const EXAMPLES = docFiles('docs/examples', /\.(ts|mjs|cjs|js)$/);

function installLines(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return [...text.matchAll(/^\s*(npm install @infinium\/otel\b.*?)\s*$/gm)].map((m) => m[1]);
}

/** Packages a page installs for an optional feature (`npm install @opentelemetry/sdk-metrics …`). */
function addOnPackages(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return [...text.matchAll(/^npm install ((?!@infinium\/otel\b).+)$/gm)].flatMap((m) => m[1].trim().split(/\s+/));
}

function imported(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'".][^'"]*)['"]/g)].map((m) => m[1]);
  return specifiers.map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]));
}

describe('docs: install lines and imports', () => {
  const readmeLines = installLines('README.md');

  it('the README has the new-app line first, then one line per OpenTelemetry line', () => {
    expect(readmeLines).to.deep.equal([
      'npm install @infinium/otel @opentelemetry/api @opentelemetry/sdk-node @opentelemetry/sdk-trace @opentelemetry/exporter-trace-otlp-proto',
      'npm install @infinium/otel @opentelemetry/api@1.9 @opentelemetry/sdk-node@0.223 @opentelemetry/sdk-trace@2 @opentelemetry/exporter-trace-otlp-proto@0.223',
      'npm install @infinium/otel @opentelemetry/api@1.10 @opentelemetry/sdk-node@0.301 @opentelemetry/sdk-trace@3 @opentelemetry/exporter-trace-otlp-proto@0.301',
    ]);
  });

  it('every install line elsewhere in the docs is one of the README’s', () => {
    for (const file of MARKDOWN) {
      for (const line of installLines(file)) expect(readmeLines, `${file}: ${line}`).to.include(line);
    }
  });

  it('every package the docs’ examples import is installed by the new-app line, a documented add-on line, or is the app’s own', () => {
    const installed = new Set([...readmeLines[0].split(/\s+/).slice(2), ...MARKDOWN.flatMap(addOnPackages)]);
    for (const file of EXAMPLES) {
      for (const name of imported(file)) {
        const known = installed.has(name) || APP_OWN.has(name) || name.startsWith('node:') || builtinModules.includes(name);
        expect(known, `${file} imports ${name}, which the README's install line does not install`).to.equal(true);
      }
    }
  });
});
