import { expect } from 'chai';

/** What e2e-app.cjs prints: every exported span with its parent's name and its attributes. */
export interface E2eSummary {
  spans: Array<{ name: string; scope: string; parent: string | null; sameTrace: boolean | null; status: number; attributes: Record<string, unknown> }>;
  tree: string;
}

export function expectE2eSummary(summary: E2eSummary): void {
  console.log(JSON.stringify(summary, null, 1));
}
