// GitHub Actions workflow commands: one annotation per finding (critical and high as errors, medium
// and low as warnings, info as notices), one warning per check that could not run, and a notice with
// the counts. https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import type { Severity } from '../severity.js';
import { SEVERITIES } from '../severity.js';
import { visibleLines } from './escape.js';
import type { Report } from './types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = { critical: 'error', high: 'error', medium: 'warning', low: 'warning', info: 'notice' };

/** A command's message: %, CR and LF are encoded (a newline stays a line break in the annotation). */
const data = (text: string) => visibleLines(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** A property's value: as a message, and its separators (`:` and `,`) encoded too. */
const property = (text: string) => data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function* renderGithub(report: Report): Generator<string> {
  for (const f of report.findings) {
    const title = `ts-audit ${f.check} ${f.exchange}/${f.symbol}`;
    yield `::${LEVEL[f.severity]} title=${property(title)}::${data(`${f.severity.toUpperCase()}: ${f.message}`)}\n`;
  }
  const tail: string[] = [];
  for (const s of report.skipped) tail.push(`::warning title=${property(`ts-audit: ${s.check} not checked`)}::${data(s.reason)}`);
  for (const n of report.notes) tail.push(`::notice title=${property('ts-audit note')}::${data(n)}`);
  const { summary } = report;
  const total = report.findings.length;
  const counts = `${total} finding${total === 1 ? '' : 's'} (${SEVERITIES.map((s) => `${summary.bySeverity[s]} ${s}`).join(', ')}${summary.uncertain ? `; ${summary.uncertain} uncertain` : ''})`;
  tail.push(`::notice title=${property(`ts-audit ${report.command}`)}::${data(`${counts}${summary.restart ? `. Restart: ${summary.restart.text}` : ''}`)}`);
  yield `${tail.join('\n')}\n`;
}
