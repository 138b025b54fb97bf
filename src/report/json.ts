import { randomBytes } from 'node:crypto';
import type { Report } from './types.js';

/**
 * The report as `JSON.stringify(report, null, 2)` writes it, written as it goes: the findings one by
 * one, never the whole document as one string. Dates serialise as ISO-8601 UTC and decimals as
 * strings through their toJSON.
 */
export function* renderJson(report: Report): Generator<string> {
  // Everything but the findings is small: stringified whole, with a marker where the findings go.
  const marker = `ts-audit-findings-${randomBytes(8).toString('hex')}`;
  const [head, tail] = JSON.stringify({ ...report, findings: marker }, null, 2).split(`"${marker}"`) as [string, string];
  yield head;
  let first = true;
  for (const f of report.findings) {
    yield `${first ? '[' : ','}\n    ${JSON.stringify(f, null, 2).replace(/\n/g, '\n    ')}`;
    first = false;
  }
  yield first ? '[]' : '\n  ]';
  yield `${tail}\n`;
}
