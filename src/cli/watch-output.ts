// What `ts-audit watch` prints: a line per run that changed something, with the findings that
// appeared and resolved, and a line per failed run with when it is retried.
import { Chalk } from 'chalk';
import type { Finding } from '../checks/types.js';
import type { WatchEvents } from '../commands/watch.js';
import { visible } from '../report/escape.js';
import { SEVERITIES } from '../severity.js';
import type { CommonFlags } from './options.js';
import { colorLevel, err, out } from './output.js';

const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const line = (f: Finding) => visible(`${f.severity.toUpperCase()} ${f.check} ${f.exchange} ${f.symbol}: ${f.message}`);

export function watchPrinter(flags: CommonFlags): WatchEvents {
  const c = new Chalk({ level: colorLevel(flags) });
  return {
    listening: (address) => err(`ts-audit: serving ${address}/metrics and ${address}/healthz\n`),
    report: (report, { appeared, resolved, first }) => {
      if (!first && appeared.length === 0 && resolved.length === 0) return;
      const counts = SEVERITIES.map((s) => `${report.summary.bySeverity[s]} ${s}`).join(' · ');
      out(`${stamp()}  ${first ? 'findings' : 'changed'}: ${counts}${report.summary.restart ? ` · ${report.summary.restart.text}` : ''}\n`);
      for (const f of appeared) out(`  ${c.red('+')} ${line(f)}\n`);
      for (const f of resolved) out(`  ${c.green('-')} resolved: ${line(f)}\n`);
    },
    writeFailure: (message) => err(`ts-audit: ${stamp()} ${visible(message)}; /metrics still serves, tried again after the next run\n`),
    failure: (message, retryInMs) =>
      err(`ts-audit: ${stamp()} run failed: ${visible(message)}; retrying in ${(retryInMs / 1000).toFixed(retryInMs < 1000 ? 1 : 0)}s\n`),
  };
}
