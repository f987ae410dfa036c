import { expect } from 'chai';
import { truncationMarker } from '../../lib/config/text-cap';
import { IndexedSlots, keptMessages, OutputBuffers, shortString, SlotQuota } from '../../lib/record/bounded';
import { createCallRecord } from '../../lib/record/call-record';
import { TextAccumulator, TextBudget } from '../../lib/record/read';

describe('record: bounded readers (lib/record/bounded.ts)', () => {
  const record = () => createCallRecord('LLM', 'chat', 'openai', 'openai');

  describe('IndexedSlots', () => {
    it('keeps the first `max` indexes, in index order, and counts each other index once', () => {
      const r = record();
      const slots = new IndexedSlots((i) => ({ i }), 3, r, 'outputMessages');
      for (const index of [5, 1, 9, 7, 1, 7, 8, 7]) slots.at(index);
      expect(slots.ordered()).to.deep.equal([{ i: 1 }, { i: 5 }, { i: 9 }]);
      expect(slots.find(7)).to.equal(undefined);
      expect(r.omitted).to.deep.equal({ outputMessages: 2 });
    });

    it('a shared quota caps slots over several collections, and `at(index, what)` names what was left out', () => {
      const r = record();
      const quota = new SlotQuota(3);
      const a = new IndexedSlots(() => ({}), 10, r, 'toolCalls', quota);
      const b = new IndexedSlots(() => ({}), 10, r, 'toolCalls', quota);
      a.at(0);
      a.at(1);
      b.at(0);
      expect(b.at(1)).to.equal(undefined);
      expect(a.at(2, 'outputParts')).to.equal(undefined);
      expect(r.omitted).to.deep.equal({ toolCalls: 1, outputParts: 1 });
    });

    it('reset makes a fresh item at a kept index', () => {
      const slots = new IndexedSlots(() => ({ n: 0 }), 1, record(), 'outputParts');
      slots.at(0)!.n = 5;
      expect(slots.reset(0)).to.deep.equal({ n: 0 });
      expect(slots.size).to.equal(1);
    });
  });

  describe('TextAccumulator with a shared budget', () => {
    it('stops keeping text when the budget is spent; the marker follows what was kept', () => {
      const budget = new TextBudget(15);
      const a = new TextAccumulator(100, budget);
      const b = new TextAccumulator(100, budget);
      a.add('0123456789');
      b.add('abcdefghij');
      a.add('more');
      expect(a.text()).to.equal('0123456789' + truncationMarker(14));
      expect(b.text()).to.equal('abcde' + truncationMarker(10));
      expect(budget.left).to.equal(0);
    });

    it('text added after the budget is gone still shows its length', () => {
      const a = new TextAccumulator(100, new TextBudget(0));
      a.add('lost');
      expect(a.text()).to.equal(truncationMarker(4));
      expect(new TextAccumulator(100, new TextBudget(0)).text()).to.equal(undefined);
    });

    it('a piece cut by the limit does not keep the whole chunk alive (10 chunks of 5 MB, texts kept: heap < 15 MB)', () => {
      const gc = (globalThis as { gc?: () => void }).gc!;
      // A fresh flat string, as an SDK's JSON.parse gives one (a repeat() would be a cheap rope).
      const chunk = (i: number) => (JSON.parse(JSON.stringify({ t: `${i}${'x'.repeat(5_000_000)}` })) as { t: string }).t;
      const read = (i: number) => {
        const text = new TextAccumulator(32_000);
        text.add(chunk(i));
        return text.text();
      };
      read(-1);
      gc();
      const before = process.memoryUsage().heapUsed;
      const kept = Array.from({ length: 10 }, (_, i) => read(i));
      gc();
      const grown = process.memoryUsage().heapUsed - before;
      expect(kept.map((t) => t!.length)).to.deep.equal(Array(10).fill(32_000));
      expect(grown).to.be.below(15e6);
    });

    it('never keeps half a surrogate pair', () => {
      const a = new TextAccumulator(100, new TextBudget(3));
      a.add('ab😀');
      expect(a.text()).to.equal('ab' + truncationMarker(4));
    });
  });

  describe('OutputBuffers', () => {
    it('every text of a call shares the span text budget (8 x the text cap); names are capped apart from it', () => {
      const r = record();
      r.textLimit = 40;
      const buffers = new OutputBuffers(r);
      const texts = Array.from({ length: 9 }, () => buffers.text());
      for (const t of texts) t.add('x'.repeat(40));
      expect(texts[7].text()).to.equal('x'.repeat(40));
      expect(texts[8].text()).to.equal(truncationMarker(40));
      const name = buffers.name();
      name.add('y'.repeat(100));
      expect(name.text()).to.equal('y'.repeat(40 - truncationMarker(100).length) + truncationMarker(100));
    });

    it('one tool-call quota per call, over every collection it makes', () => {
      const r = record();
      const buffers = new OutputBuffers(r);
      const first = buffers.toolCalls();
      const second = buffers.toolCalls();
      for (let i = 0; i < 100; i++) first.at(i);
      for (let i = 0; i < 100; i++) second.at(i);
      expect(first.size + second.size).to.equal(128);
      expect(r.omitted).to.deep.equal({ toolCalls: 72 });
    });
  });

  it('keptMessages reads the first 128 items and counts the rest; shortString cuts long strings', () => {
    const r = record();
    const list = Array.from({ length: 200 }, (_, i) => i);
    expect(keptMessages(list, r)).to.deep.equal(list.slice(0, 128));
    expect(r.omitted).to.deep.equal({ outputMessages: 72 });
    const short = Array.from({ length: 5 }, (_, i) => i);
    expect(keptMessages(short, r)).to.equal(short);
    expect(keptMessages('not a list', r)).to.deep.equal([]);
    expect(shortString('call_1')).to.equal('call_1');
    expect(shortString('x'.repeat(5000))).to.have.length(1024);
    expect(shortString(5)).to.equal(undefined);
  });
});
