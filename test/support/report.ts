// What the end-to-end CLI tests share: the incident's dump, the report schema's validator, a parsed
// and validated JSON report, and the check that dist/ was built.
import { existsSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, expect } from 'vitest';
import { ROOT, type Result } from './cli.js';
import { INCIDENT_DUMP } from './db.js';

export const incident = JSON.parse(readFileSync(`${INCIDENT_DUMP}`, 'utf8')) as { dumpedAt: string; stops: Record<string, unknown>[] };
export const validateReport = new Ajv2020({ strict: true }).compile(JSON.parse(readFileSync(`${ROOT}dist/schemas/report-v1.schema.json`, 'utf8')));

/** The JSON report on stdout, checked against the report schema. */
export function json(r: Result) {
  const report = JSON.parse(r.stdout);
  expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  return report as { findings: { check: string; severity: string; exchange: string; symbol: string }[]; summary: Record<string, unknown> };
}

/** Call at the top of a file that spawns the built CLI. */
export function requireBuild(): void {
  beforeAll(() => {
    if (!existsSync(`${ROOT}dist/cli.js`)) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  });
}
