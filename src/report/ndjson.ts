import type { Report } from './types.js';

/** One finding per line, for pipelines (`jq`, `grep`): each line is a finding of the JSON report. */
export const renderNdjson = (report: Report): string => report.findings.map((f) => `${JSON.stringify(f)}\n`).join('');
