// What the end-to-end CLI tests share: the incident's dump, the report schema's validator, a parsed
// and validated JSON report, and the check that dist/ was built.
import { existsSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, expect } from 'vitest';
import type { Finding } from '../../src/checks/types.js';
import type { Findings } from '../../src/report/findings.js';
import type { Report } from '../../src/report/types.js';
import { ROOT, type Result } from './cli.js';
import { INCIDENT_DUMP } from './db.js';

export const incident = JSON.parse(readFileSync(`${INCIDENT_DUMP}`, 'utf8')) as { dumpedAt: string; stops: Record<string, unknown>[] };
export const validateReport = new Ajv2020({ strict: true }).compile(JSON.parse(readFileSync(`${ROOT}dist/schemas/report-v1.schema.json`, 'utf8')));

/** A value as JSON.parse gives it back: what toJSON gives for Dates and decimals, findings as an array. */
export type Json<T> = T extends { toJSON(): infer J }
  ? J
  : T extends Findings
    ? Json<Finding>[]
    : T extends readonly (infer U)[]
      ? Json<U>[]
      : T extends object
        ? { [K in keyof T]: Json<T[K]> }
        : T;

/** The JSON report on stdout, checked against the report schema. */
export function json(r: Result): Json<Report> {
  const report = JSON.parse(r.stdout) as Json<Report>;
  expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  return report;
}

/** Call at the top of a file that spawns the built CLI. */
export function requireBuild(): void {
  beforeAll(() => {
    if (!existsSync(`${ROOT}dist/main.js`)) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  });
}

/**
 * The findings a table shows, read back from its lines: a group line per (exchange, symbol) with its
 * checks, then either its one finding's message (indented) or a row per finding.
 */
export function tableFindings(stdout: string): { severity: string; check: string; exchange: string; symbol: string }[] {
  const found: { severity: string; check: string; exchange: string; symbol: string }[] = [];
  const lines = stdout.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^(CRITICAL|HIGH|MEDIUM|LOW|INFO) +([^/ ]+)\/(\S+?)(?: \(position #\d+\))?: (.*)$/.exec(lines[i] as string);
    if (!head) continue;
    let checks = head[4] as string;
    let j = i + 1;
    for (; /^ {10}\S/.test(lines[j] ?? '') && /^[a-z-]+(, [a-z-]+)*,?$/.test((lines[j] as string).trim()) && checks.endsWith(','); j++) checks += ` ${(lines[j] as string).trim()}`;
    const rows: { severity: string; check: string }[] = [];
    for (; j < lines.length && (lines[j] as string) !== ''; j++) {
      const row = /^ {2}(CRITICAL|HIGH|MEDIUM|LOW|INFO) +([a-z-]+) {2}/.exec(lines[j] as string);
      if (row) rows.push({ severity: (row[1] as string).toLowerCase(), check: row[2] as string });
    }
    const at = { exchange: head[2] as string, symbol: head[3] as string };
    if (rows.length === 0) found.push({ severity: (head[1] as string).toLowerCase(), check: checks.trim(), ...at });
    else for (const r of rows) found.push({ ...r, ...at });
  }
  return found;
}
