import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { readInputMessages } from '../../../lib/providers/openai/chat';

/**
 * The message lists the OpenAI chat reader hands the renderer keep one array map whether V8 runs the reader
 * in its interpreter or optimized. With `Array.prototype.map` they did not (packed, then holey once the map
 * was inlined), and the new map deoptimized the renderer for the rest of a fresh process, around its
 * 2,000th call (docs/performance.md, "Where the µs go").
 */
describe('OpenAI chat reader: array maps', () => {
  it('gives the same packed array map before and after V8 optimizes the readers (input and streamed output)', () => {
    const child = path.join(__dirname, 'array-maps-child.ts');
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', child], { encoding: 'utf8' });
    expect(JSON.parse(out.trim())).to.deep.equal({ inputSameMap: true, outputSameMap: true, inputHoley: false, outputHoley: false });
  });

  it('reads the messages as map() did: in order, an explicit undefined read as an empty message, holes kept', () => {
    const dense = [{ role: 'system', content: 'a' }, { role: 'user', content: 'b' }];
    expect(readInputMessages(dense)).to.deep.equal([
      { role: 'system', content: 'a' },
      { role: 'user', content: 'b' },
    ]);
    expect(readInputMessages([undefined, { role: 'user', content: 'b' }])).to.deep.equal([{ role: undefined }, { role: 'user', content: 'b' }]);
    // eslint-disable-next-line no-sparse-arrays
    const sparse = readInputMessages([{ role: 'user', content: 'a' }, , { role: 'user', content: 'c' }]);
    expect(sparse.length).to.equal(3);
    expect(1 in sparse).to.equal(false);
    expect(sparse[2]).to.deep.equal({ role: 'user', content: 'c' });
    expect(readInputMessages('not a list')).to.deep.equal([]);
  });
});
