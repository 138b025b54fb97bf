// JUnit XML, as CI systems read it and as eslint's JUnit formatter lays it out: one test case per
// finding (named by check, exchange and symbol), failing when the finding is at or above --fail-on,
// plus one passing case per check that found nothing and one skipped case per check that could not
// run. The counts come from the summary, so the findings are written as they are read.
import { type FailOn, SEVERITIES, atOrAbove } from '../severity.js';
import type { Report } from './types.js';

// eslint-disable-next-line no-control-regex -- the characters XML 1.0 cannot hold, dropped from hostile text
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const xml = (text: string) => text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function* renderJunit(report: Report, failOn: FailOn, runSeconds: number): Generator<string> {
  const { summary } = report;
  const clean = Object.keys(summary.byCheck).filter((check) => (summary.byCheck[check] ?? 0) === 0);
  const failures = SEVERITIES.filter((s) => atOrAbove(s, failOn)).reduce((n, s) => n + summary.bySeverity[s], 0);
  const tests = report.findings.length + clean.length + report.skipped.length;
  const classname = (check: string) => xml(`ts-audit.${report.command}.${check}`);
  const attrs = `tests="${tests}" failures="${failures}" errors="0" skipped="${report.skipped.length}" time="${runSeconds.toFixed(3)}"`;
  yield [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ts-audit" tests="${tests}" failures="${failures}" errors="0" time="${runSeconds.toFixed(3)}">`,
    `  <testsuite name="ts-audit ${xml(report.command)}" ${attrs} timestamp="${report.generatedAt.toISOString().replace(/\.\d+Z$/, '')}">`,
    '    <properties>',
    ...(report.database
      ? [
          `      <property name="database" value="${xml(report.database.target)}"/>`,
          `      <property name="snapshotAt" value="${report.database.snapshotAt.toISOString()}"/>`,
        ]
      : []),
    `      <property name="failOn" value="${failOn}"/>`,
    ...(summary.restart ? [`      <property name="restart" value="${xml(summary.restart.text)}"/>`] : []),
    ...(summary.uncertain ? [`      <property name="uncertain" value="${summary.uncertain}"/>`] : []),
    '    </properties>',
    '',
  ].join('\n');
  for (const f of report.findings) {
    const name = xml(`${f.check} ${f.exchange}/${f.symbol}`);
    const text = xml(`${f.severity} ${f.exchange}/${f.symbol}: ${f.message}`);
    const body = atOrAbove(f.severity, failOn)
      ? `      <failure type="${f.severity}" message="${text}">${xml(JSON.stringify(f.evidence))}</failure>`
      : `      <system-out>${text}</system-out>`;
    yield `    <testcase classname="${classname(f.check)}" name="${name}" time="0">\n${body}\n    </testcase>\n`;
  }
  const tail: string[] = [];
  for (const check of clean) tail.push(`    <testcase classname="${classname(check)}" name="${xml(check)}" time="0"/>`);
  for (const s of report.skipped) {
    tail.push(
      `    <testcase classname="${classname(s.check)}" name="${xml(s.check)}" time="0">`,
      `      <skipped message="${xml(s.reason)}"/>`,
      '    </testcase>',
    );
  }
  tail.push('  </testsuite>', '</testsuites>');
  yield `${tail.join('\n')}\n`;
}
