// One line per finding, `severity check exchange/symbol: message`, for grep and awk; then what was
// not checked and the counts, so that an empty result is never mistaken for a clean one.
import { SEVERITIES } from '../severity.js';
import { visible } from './escape.js';
import type { Report } from './types.js';

export function* renderCompact(report: Report): Generator<string> {
  for (const f of report.findings) {
    yield `${f.severity} ${f.check} ${visible(f.exchange)}/${visible(f.symbol)}: ${visible(f.message)}\n`;
  }
  const tail: string[] = [];
  for (const s of report.skipped) tail.push(`not-checked ${s.check}: ${visible(s.reason)}`);
  const { summary } = report;
  const total = report.findings.length;
  tail.push(
    `${total} finding${total === 1 ? '' : 's'} (${SEVERITIES.map((s) => `${summary.bySeverity[s]} ${s}`).join(', ')}${summary.uncertain ? `; ${summary.uncertain} uncertain` : ''})${summary.restart ? `; restart: ${summary.restart.text}` : ''}`,
  );
  yield `${tail.join('\n')}\n`;
}
