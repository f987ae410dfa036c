import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Every ```ts block of README.md, docs/*.md and the guides (docs/frameworks/, docs/providers/) must appear verbatim in a file of docs/examples/, which the
 * project's type-check compiles (tsconfig includes docs/**\/*.ts). So a snippet a user copies is code that
 * compiles against the current API, and docs and examples cannot drift apart.
 * A block that is deliberately a fragment is preceded by the line `<!-- snippet: fragment -->`.
 */
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES_DIR = path.join(REPO_ROOT, 'docs', 'examples');
const FRAGMENT_MARKER = '<!-- snippet: fragment -->';

interface Snippet {
  file: string;
  line: number;
  code: string;
}

function markdownFiles(): string[] {
  const inFolder = (folder: string) => fs.readdirSync(path.join(REPO_ROOT, folder))
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join(folder, name))
    .sort();
  return ['README.md', ...inFolder('docs'), ...inFolder(path.join('docs', 'frameworks')), ...inFolder(path.join('docs', 'providers'))];
}

export function tsSnippets(relativeFile: string, text: string): Snippet[] {
  const lines = text.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
    if (lines[start - 1]?.trim() === FRAGMENT_MARKER) continue;
    snippets.push({ file: relativeFile, line: start + 1, code: body.join('\n') });
  }
  return snippets;
}

function normalize(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/[ \t]+$/gm, '');
}

describe('docs snippets', () => {
  const examples = fs.readdirSync(EXAMPLES_DIR)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => ({ name, text: normalize(fs.readFileSync(path.join(EXAMPLES_DIR, name), 'utf8')) }));

  it('finds the snippets (the extractor works)', () => {
    const found = tsSnippets('x.md', 'text\n```ts\nconst a = 1;\n```\n<!-- snippet: fragment -->\n```ts\nb\n```\n```sh\nls\n```\n');
    expect(found).to.deep.equal([{ file: 'x.md', line: 2, code: 'const a = 1;' }]);
    expect(examples.length).to.be.greaterThan(0);
  });

  for (const file of markdownFiles()) {
    const snippets = tsSnippets(file, fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'));
    for (const snippet of snippets) {
      it(`${snippet.file}:${snippet.line} is compiled as part of docs/examples/`, () => {
        const code = normalize(snippet.code);
        const home = examples.find((e) => e.text.includes(code));
        expect(home, `copy this block of ${snippet.file} (line ${snippet.line}) into a docs/examples/*.ts file:\n${code}`)
          .to.not.equal(undefined);
      });
    }
  }
});
