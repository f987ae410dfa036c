import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * What `npm pack` would publish, reviewed: only the built code, its types, the viewer's web UI, the docs
 * (and their pictures), the README and the LICENSE; every entry point of package.json inside; every relative link of a shipped Markdown file
 * pointing at a shipped file; every shipped example importing the package by its name; and the
 * metadata the registry page needs to resolve the README's links.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^dist\/.+\.js$/,
  /^dist\/.+\.d\.ts$/,
  /^docs\/.+\.md$/,
  /^docs\/examples\/[\w-]+\.(ts|mjs)$/,
  // The viewer's pictures (docs/viewer.md) and its web UI's static files (lib/viewer/ui, copied by the build).
  /^docs\/[\w-]+\.png$/,
  /^dist\/viewer\/ui\/[\w-]+\.(html|css|js)$/,
];

describe('the published package (npm pack --dry-run)', function () {
  this.timeout(60_000);
  let files: string[];

  before(async () => {
    const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
    files = (JSON.parse(stdout)[0].files as Array<{ path: string }>).map((f) => f.path).sort();
  });

  it('holds no stray files: no sources, tests, maps, build info or tooling', () => {
    const stray = files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)));
    expect(stray).to.deep.equal([]);
    expect(files.filter((f) => f.endsWith('.map'))).to.deep.equal([]);
  });

  it('holds every entry point package.json names, and the LICENSE', () => {
    const targets = new Set<string>([pkg.main, pkg.types]);
    for (const entry of Object.values(pkg.exports as Record<string, string | Record<string, string>>)) {
      for (const target of typeof entry === 'string' ? [entry] : Object.values(entry)) targets.add(target);
    }
    for (const target of targets) expect(files, target).to.include(target.replace(/^\.\//, ''));
    expect(files).to.include('LICENSE');
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).to.match(/^\s+Apache License\s+Version 2\.0, January 2004/);
    expect(pkg.license).to.equal('Apache-2.0');
  });

  it('holds the viewer\'s web UI: every file of lib/viewer/ui, as dist/viewer/ui (the CLI serves them from there)', () => {
    const sources = fs.readdirSync(path.join(ROOT, 'lib', 'viewer', 'ui')).sort();
    expect(sources).to.include.members(['index.html', 'app.js', 'app.css']);
    expect(files.filter((f) => f.startsWith('dist/viewer/ui/')).map((f) => f.slice('dist/viewer/ui/'.length))).to.deep.equal(sources);
  });

  it('every relative link in a shipped Markdown file points at a shipped file', () => {
    const missing: string[] = [];
    for (const doc of files.filter((f) => f.endsWith('.md'))) {
      const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
        const file = path.posix.normalize(path.posix.join(path.posix.dirname(doc), target.split('#')[0]));
        if (!files.includes(file)) missing.push(`${doc} -> ${target}`);
      }
    }
    expect(missing).to.deep.equal([]);
  });

  it('every shipped example imports the package by its name, never this repository\'s sources', () => {
    const examples = files.filter((f) => f.startsWith('docs/examples/'));
    expect(examples.length).to.be.greaterThan(0);
    for (const example of examples) {
      const text = fs.readFileSync(path.join(ROOT, example), 'utf8');
      const specifiers = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(specifiers.filter((s) => s.startsWith('.')), example).to.deep.equal([]);
    }
  });

  it('names its repository, homepage and issue tracker (the registry resolves the README links with them)', () => {
    expect(pkg.repository).to.deep.equal({ type: 'git', url: 'git+https://github.com/infinium-ai/infinium-otel.git' });
    expect(pkg.homepage).to.equal('https://github.com/infinium-ai/infinium-otel#readme');
    expect(pkg.bugs).to.deep.equal({ url: 'https://github.com/infinium-ai/infinium-otel/issues' });
  });
});
