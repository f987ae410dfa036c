import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { maskAttribute, REDACTED } from '../../lib/masking/mask';
import { resolveTraceConfig } from '../../lib/masking/trace-config';

/**
 * docs/configuration.md's masking table says, per variable, which attributes become `__REDACTED__` and
 * which are left out. Every attribute key it names (in backticks) is checked against the one masking
 * function with only that variable set, so the docs and the behaviour cannot disagree again.
 */
const DOC = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');

interface Row {
  variable: string;
  redacted: string[];
  leftOut: string[];
}

function tableRows(): Row[] {
  const start = DOC.indexOf('| variable | becomes `__REDACTED__` | left out |');
  const lines = DOC.slice(start).split('\n').slice(2);
  const rows: Row[] = [];
  for (const line of lines) {
    if (!line.startsWith('|')) break;
    const [variable, redacted, leftOut] = line.split('|').slice(1, 4).map((cell) => cell.trim());
    rows.push({ variable: /`(OPENINFERENCE_[A-Z_]+)`/.exec(variable)![1], redacted: keysIn(redacted), leftOut: keysIn(leftOut) });
  }
  return rows;
}

/** The attribute keys a cell names; `llm.input_messages.*` stands for a message's content key. */
function keysIn(cell: string): string[] {
  return [...cell.matchAll(/`([a-z_.*]+)`/g)]
    .map((m) => m[1])
    .filter((key) => key.includes('.'))
    .map((key) => (key.endsWith('.*') ? `${key.slice(0, -1)}0.message.content` : key));
}

describe('docs/configuration.md masking table', () => {
  const rows = tableRows();

  it('has a row per documented variable', () => {
    expect(rows.map((r) => r.variable)).to.include.members(['OPENINFERENCE_HIDE_INPUTS', 'OPENINFERENCE_HIDE_OUTPUTS', 'OPENINFERENCE_HIDE_LLM_TOOLS']);
    expect(rows.length).to.equal(13);
  });

  for (const row of rows) {
    it(`${row.variable}: what it says is redacted is "${REDACTED}", what it says is left out is gone`, () => {
      const config = resolveTraceConfig({}, { [row.variable]: 'true' });
      for (const key of row.redacted) expect(maskAttribute(config, key, 'secret'), key).to.equal(REDACTED);
      for (const key of row.leftOut) expect(maskAttribute(config, key, 'secret'), key).to.equal(undefined);
    });
  }

  it('HIDE_INPUTS, the case the docs got wrong: input.value redacted, the input messages dropped', () => {
    const row = rows.find((r) => r.variable === 'OPENINFERENCE_HIDE_INPUTS')!;
    expect(row.redacted).to.include('input.value');
    expect(row.leftOut).to.include('llm.input_messages.0.message.content');
  });
});
