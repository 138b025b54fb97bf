import { jsonReady } from './findings.js';
import type { Report } from './types.js';

/** One finding per line, for pipelines (`jq`, `grep`): each line is a finding of the JSON report. */
export function* renderNdjson(report: Report): Generator<string> {
  for (const f of report.findings) yield `${JSON.stringify(jsonReady(f))}\n`;
}
