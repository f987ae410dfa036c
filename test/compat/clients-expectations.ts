import { expect } from 'chai';
import fs from 'node:fs';
import type { ClientsFakes } from './clients-fakes';
import { ExportedSpan } from './agents-expectations';

export interface ClientSpan extends ExportedSpan {
  kind: number;
}
export interface ClientsRun {
  results: Record<string, unknown>;
  stillOpen: string[];
}

export function expectClientsRun({ spans, run }: { spans: ClientSpan[]; run: ClientsRun }, _fakes: ClientsFakes): void {
  fs.writeFileSync(`/tmp/lines-clients-${process.pid}-${Date.now()}.json`, JSON.stringify({ spans, run }, null, 1));
  expect(run.stillOpen).to.deep.equal([]);
}
