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

/** One problem as a table shows it: the check naming it, and the checks listed as its consequences. */
export interface TableProblem {
  severity: string;
  check: string;
  exchange: string;
  symbol: string;
  consequences: string[];
}

/**
 * The problems a table shows, read back from its lines: a group line per (exchange, symbol) with its
 * problems, then either its one problem's message (indented) or a row per problem; under a problem's
 * message, "consequences: a, b" names the other checks that report it.
 */
export function tableProblems(stdout: string): TableProblem[] {
  const found: TableProblem[] = [];
  const lines = stdout.split('\n');
  // "consequences: a, b," wrapped: the ids go on on the next lines, under the same column.
  const consequencesAt = (j: number): { ids: string[]; next: number } | undefined => {
    const m = /^( +)consequences: ([a-z-]+(?:, [a-z-]+)*,?)$/.exec(lines[j] ?? '');
    if (!m) return undefined;
    let text = m[2] as string;
    let next = j + 1;
    for (; text.endsWith(',') && /^ +[a-z-]+(, [a-z-]+)*,?$/.test(lines[next] ?? ''); next++) text += ` ${(lines[next] as string).trim()}`;
    return { ids: text.split(', '), next };
  };
  for (let i = 0; i < lines.length; i++) {
    const head = /^(CRITICAL|HIGH|MEDIUM|LOW|INFO) +([^/ ]+)\/(\S+?)(?: \(position #\d+\))?: (.*)$/.exec(lines[i] as string);
    if (!head) continue;
    let checks = head[4] as string;
    let j = i + 1;
    for (; /^ {10}\S/.test(lines[j] ?? '') && /^[a-z-]+(, [a-z-]+)*,?$/.test((lines[j] as string).trim()) && checks.endsWith(','); j++)
      checks += ` ${(lines[j] as string).trim()}`;
    const at = { exchange: head[2] as string, symbol: head[3] as string };
    const rows: TableProblem[] = [];
    let single: string[] = [];
    while (j < lines.length && (lines[j] as string) !== '') {
      const row = /^ {2}(CRITICAL|HIGH|MEDIUM|LOW|INFO) +([a-z-]+) {2}/.exec(lines[j] as string);
      if (row) rows.push({ severity: (row[1] as string).toLowerCase(), check: row[2] as string, ...at, consequences: [] });
      // On a row's own line (a table row's cell) or on a line of its own.
      const cell = /^( {2}\S+ +[a-z-]+ {2,}|\s+)(consequences: .*)$/.exec(lines[j] as string);
      const more = cell ? consequencesAt(j) : undefined;
      if (more && rows.length > 0) (rows.at(-1) as TableProblem).consequences.push(...more.ids);
      else if (more) single = more.ids;
      j = more ? more.next : j + 1;
    }
    if (rows.length === 0) found.push({ severity: (head[1] as string).toLowerCase(), check: checks.trim(), ...at, consequences: single });
    else found.push(...rows);
  }
  return found;
}

/**
 * The findings a table shows: each problem's, and one per check listed as its consequence (with the
 * problem's severity: the table shows a consequence's check, not its own severity).
 */
export function tableFindings(stdout: string): { severity: string; check: string; exchange: string; symbol: string }[] {
  return tableProblems(stdout).flatMap((p) => [
    { severity: p.severity, check: p.check, exchange: p.exchange, symbol: p.symbol },
    ...p.consequences.map((check) => ({ severity: p.severity, check, exchange: p.exchange, symbol: p.symbol })),
  ]);
}
