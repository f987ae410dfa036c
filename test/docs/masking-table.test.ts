import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { CONTENT_KEY_RULES } from '../../lib/masking/content-keys';
import { maskAttribute, outcomeOf, REDACTED } from '../../lib/masking/mask';
import { resolveTraceConfig } from '../../lib/masking/trace-config';
import { Category, TREATMENTS } from '../../lib/masking/treatments';

/**
 * docs/configuration.md's two masking tables (what each variable hides; which key is which kind) are
 * generated from the one table in lib/masking. This test fails when the docs and the table disagree;
 * `UPDATE_DOCS=1 npx mocha test/docs/masking-table.test.ts` rewrites them.
 */
const DOC_PATH = path.resolve(__dirname, '..', '..', 'docs', 'configuration.md');

/** Each row: the variable as the docs name it, its value, and a note the table cannot say. */
const VARIABLE_ROWS: ReadonlyArray<readonly [name: string, value: string, note: string]> = [
  ['INFINIUM_CAPTURE_CONTENT', 'false', 'counts, models, latencies, names and ids stay'],
  ['OPENINFERENCE_HIDE_INPUTS', 'true', ''],
  ['OPENINFERENCE_HIDE_OUTPUTS', 'true', ''],
  ['OPENINFERENCE_HIDE_INPUT_MESSAGES', 'true', '**`input.value` still holds the input text** (as in openinference-core): add `HIDE_INPUTS`'],
  ['OPENINFERENCE_HIDE_OUTPUT_MESSAGES', 'true', '**`output.value` still holds the answer**: add `HIDE_OUTPUTS`'],
  ['OPENINFERENCE_HIDE_INPUT_IMAGES', 'true', 'image URLs inside the JSON of `input.value` go too'],
  ['OPENINFERENCE_HIDE_INPUT_TEXT', 'true', '**`input.value` still holds the input text**: add `HIDE_INPUTS`'],
  ['OPENINFERENCE_HIDE_OUTPUT_TEXT', 'true', '**`output.value` still holds the answer**: add `HIDE_OUTPUTS`'],
  ['OPENINFERENCE_HIDE_LLM_TOOLS', 'true', ''],
  ['OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS', 'true', ''],
  ['OPENINFERENCE_HIDE_PROMPTS', 'true', '`input.value` still holds the prompt'],
  ['OPENINFERENCE_HIDE_CHOICES', 'true', ''],
  ['OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS', 'true', 'also the old spelling `OPENINFERENCE_HIDE_EMBEDDING_VECTORS`'],
  ['OPENINFERENCE_HIDE_EMBEDDINGS_TEXT', 'true', 'the embedding span\'s `input.value` still holds the texts: add `HIDE_INPUTS`'],
];

const REDUCTIONS = { settings: 'settings only', toolNames: "each tool's name and type only" } as const;

const categories = () => Object.keys(TREATMENTS) as Category[];
const label = (category: Category) => TREATMENTS[category].label;

/** What each variable hides, computed from the one masking table under a config with only that variable. */
function variablesTable(): string {
  const rows = ['| variable | becomes `__REDACTED__` | left out | reduced | note |', '|---|---|---|---|---|'];
  for (const [name, value, note] of VARIABLE_ROWS) {
    const config = resolveTraceConfig({}, { [name]: value });
    const redacted: string[] = [];
    const dropped: string[] = [];
    const reduced: string[] = [];
    for (const category of categories()) {
      if (category === 'credential') continue;
      const outcome = outcomeOf(config, TREATMENTS[category]);
      if (outcome === 'redact') redacted.push(label(category));
      else if (outcome === 'drop') dropped.push(label(category));
      else if (outcome !== 'keep') reduced.push(`${label(category)}: ${REDUCTIONS[outcome]}`);
    }
    rows.push(`| \`${name}=${value}\` | ${redacted.join('; ')} | ${dropped.join('; ')} | ${reduced.join('; ')} | ${note} |`);
  }
  rows.push(`| (always, whatever is set) | ${label('credential')} | | | also key-shaped strings in error messages |`);
  return rows.join('\n');
}

/** Which key is which kind: the patterns of the one table, grouped by kind. */
function keysTable(): string {
  const rows = ['| kind | keys |', '|---|---|'];
  for (const category of categories()) {
    const patterns = CONTENT_KEY_RULES.filter(([, c]) => c === category).map(([pattern]) => `\`${pattern}\``);
    if (category === 'credential') patterns.push('any key ending in the word `authorization` or `api-key` (`api_key`, `apikey`), any casing: `proxy-authorization`, `x-api-key`, `x-goog-api-key`, `OPENAI_API_KEY`');
    if (category === 'notContent') patterns.push('and any key no pattern names');
    rows.push(`| ${label(category)} | ${patterns.join(', ').replace(/\|/g, '\\|')} |`);
  }
  return rows.join('\n');
}

const SECTIONS = { variables: variablesTable, keys: keysTable };

function section(doc: string, name: string): { start: number; end: number } {
  const open = `<!-- masking-table:${name} -->\n`;
  const start = doc.indexOf(open);
  const end = doc.indexOf(`<!-- /masking-table:${name} -->`);
  expect(start, `docs/configuration.md has no ${open.trim()}`).to.be.greaterThan(-1);
  expect(end).to.be.greaterThan(start);
  return { start: start + open.length, end };
}

describe('docs/configuration.md masking tables', () => {
  if (process.env.UPDATE_DOCS === '1') {
    let doc = fs.readFileSync(DOC_PATH, 'utf8');
    for (const [name, generate] of Object.entries(SECTIONS)) {
      const { start, end } = section(doc, name);
      doc = doc.slice(0, start) + generate() + '\n' + doc.slice(end);
    }
    fs.writeFileSync(DOC_PATH, doc);
  }
  const doc = fs.readFileSync(DOC_PATH, 'utf8');

  for (const [name, generate] of Object.entries(SECTIONS)) {
    it(`the "${name}" table is the one generated from lib/masking (UPDATE_DOCS=1 rewrites it)`, () => {
      const { start, end } = section(doc, name);
      expect(doc.slice(start, end)).to.equal(generate() + '\n');
    });
  }

  it('has a row per variable the configuration reads, and says what HIDE_INPUTS does as it does', () => {
    expect(VARIABLE_ROWS.map(([name]) => name)).to.have.length(14);
    const config = resolveTraceConfig({}, { OPENINFERENCE_HIDE_INPUTS: 'true' });
    expect(maskAttribute(config, 'input.value', 'x')).to.equal(REDACTED);
    expect(maskAttribute(config, 'llm.input_messages.0.message.content', 'x')).to.equal(undefined);
    const row = variablesTable().split('\n').find((line) => line.startsWith('| `OPENINFERENCE_HIDE_INPUTS=true`'))!;
    const [, redacted, leftOut] = row.split(' | ');
    expect(redacted).to.contain('`input.value`');
    expect(leftOut).to.contain('input message text');
  });
});
