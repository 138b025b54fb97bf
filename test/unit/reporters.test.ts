// Every reporter of src/report/index.ts, in process, from reports the real pipeline built and saved
// (test/fixtures/reports/, held to the pipeline by test/integration/saved-reports.test.ts): no
// database, no spawn. Each format is checked for what its reader relies on: JSON against the report
// schema, SARIF against the OASIS schema, JUnit's counts, Prometheus' exposition, GitHub's workflow
// commands, Markdown rendered by a real engine, the table's width and escapes.
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { REPORT_OUTPUT } from '../../src/cli/report-output.js';
import { DEFAULTS, type CommonFlags } from '../../src/cli/options.js';
import { REPORT_SCHEMA_SOURCE, reportSchemaWithIds } from '../../src/generate.js';
import { REPORTERS, type RenderOptions } from '../../src/report/index.js';
import { length } from '../../src/report/layout.js';
import type { Report } from '../../src/report/types.js';
import { SEVERITIES, atOrAbove } from '../../src/severity.js';
import { htmlText, markdownText } from '../support/markdown.js';
import { HOSTILE, SAVED, type SavedName, savedReport } from '../support/saved-reports.js';

const REPORTS = Object.fromEntries(SAVED.map((name) => [name, savedReport(name)])) as Record<SavedName, Report>;
const all = Object.entries(REPORTS) as [SavedName, Report][];
const findings = (r: Report) => [...r.findings];

const OPTIONS: RenderOptions = { colorLevel: 0, width: 100, failOn: 'high', runSeconds: 1.25, maxRows: 0 };
async function render(format: string, report: Report, options: Partial<RenderOptions> = {}): Promise<string> {
  const reporter = REPORTERS[format];
  if (!reporter) throw new Error(`no reporter ${format}`);
  return [...(await reporter(report, { ...OPTIONS, ...options }))].join('');
}
const lines = (text: string) => text.trimEnd().split('\n');
// eslint-disable-next-line no-control-regex -- what must never reach a terminal, a CI log or a page raw
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f\u202e]/;

describe('the saved reports', () => {
  it('cover every severity, uncertain findings, skipped checks, notes, all clear, no database, and the hostile symbols', () => {
    const every = all.flatMap(([, r]) => findings(r));
    expect(new Set(every.map((f) => f.severity))).toEqual(new Set(SEVERITIES));
    expect(findings(REPORTS['check-failure-modes']).map((f) => f.severity)).toEqual(expect.arrayContaining([...SEVERITIES]));
    expect(REPORTS['diff-journal'].summary.uncertain).toBeGreaterThan(0);
    expect(REPORTS['check-incident-era'].skipped.map((s) => s.check)).toContain('flag-mismatch');
    expect(REPORTS['check-all-clear'].findings.length).toBe(0);
    expect(REPORTS['logs-incident'].database).toBeNull();
    expect(findings(REPORTS['diff-hostile']).map((f) => f.symbol)).toEqual(expect.arrayContaining(HOSTILE));
  });

  it('call for exit 1 at or above --fail-on and 0 below it, whatever the format', () => {
    const flags = (failOn: CommonFlags['failOn']): CommonFlags => ({ ...DEFAULTS, failOn });
    expect(REPORT_OUTPUT.exitCode(REPORTS['check-failure-modes'], flags('high'))).toBe(1);
    expect(REPORT_OUTPUT.exitCode(REPORTS['check-failure-modes'], flags('none'))).toBe(0);
    expect(REPORT_OUTPUT.exitCode(REPORTS['timestamps-incident'], flags('high'))).toBe(0);
    expect(REPORT_OUTPUT.exitCode(REPORTS['timestamps-incident'], flags('medium'))).toBe(1);
    expect(REPORT_OUTPUT.exitCode(REPORTS['check-all-clear'], flags('info'))).toBe(0);
  });
});

describe('uncertain findings', () => {
  // diff --from-events --as-of on the event journal, in session 1: four of its five findings uncertain.
  it('says which findings are uncertain, and how many, in every format', async () => {
    const report = REPORTS['diff-journal'];
    const formats = ['table', 'json', 'ndjson', 'markdown', 'compact', 'github', 'junit', 'sarif', 'prometheus'] as const;
    const outputs = {} as Record<(typeof formats)[number], string>;
    for (const format of formats) outputs[format] = await render(format, report, { width: 200, failOn: 'none' });
    const dText = /missing-in-db[\s\S]*?DUSDT[\s\S]*?uncertain: its trailing_stop_created/;
    for (const format of ['table', 'markdown', 'compact', 'github', 'junit', 'sarif', 'json', 'ndjson'] as const)
      expect(format === 'markdown' ? markdownText(outputs[format]) : outputs[format], format).toMatch(
        format === 'table' ? /uncertain: its trailing_stop_created/ : dText,
      );
    expect(outputs.table).toMatch(/5 problems on 5 positions \(4 uncertain\):/);
    expect(outputs.markdown).toMatch(/- \*\*Findings:\*\* 1 critical · 3 high · 1 medium · 0 low · 0 info \(4 uncertain\)/);
    expect(outputs.compact).toMatch(/^5 findings \(1 critical, 3 high, 1 medium, 0 low, 0 info; 4 uncertain\); restart: /m);
    expect(outputs.github).toMatch(/5 findings \(1 critical, 3 high, 1 medium, 0 low, 0 info; 4 uncertain\)/);
    expect(outputs.junit).toContain('<property name="uncertain" value="4"/>');
    expect(outputs.prometheus).toContain('ts_audit_findings_uncertain{command="diff"} 4');
    const sarif = JSON.parse(outputs.sarif);
    expect(sarif.runs[0].properties.summary.uncertain).toBe(4);
    expect(sarif.runs[0].results.filter((r: { properties: { uncertain?: string[] } }) => r.properties.uncertain).length).toBe(4);
    const lines = outputs.ndjson
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { symbol: string; uncertain?: string[] });
    expect(
      lines
        .filter((f) => f.uncertain)
        .map((f) => f.symbol)
        .sort(),
    ).toEqual(['AUSDT', 'CUSDT', 'DUSDT', 'HUSDT']);
  });
});

describe('json', () => {
  const validate = new Ajv2020({ strict: true }).compile(JSON.parse(reportSchemaWithIds(readFileSync(REPORT_SCHEMA_SOURCE, 'utf8'))));

  it.each(all)('%s: valid against the report schema, and exactly what JSON.stringify writes of the report', async (_name, report) => {
    const text = await render('json', report);
    const doc = JSON.parse(text);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(text).toBe(`${JSON.stringify({ ...report, findings: findings(report) }, null, 2)}\n`);
    expect(doc.findings).toHaveLength(report.findings.length);
  });

  it('the schema bites: a report without its summary, or with a check id that is none, is refused', async () => {
    const doc = JSON.parse(await render('json', REPORTS['check-failure-modes']));
    expect(validate({ ...doc, summary: undefined })).toBe(false);
    expect(validate({ ...doc, findings: [{ ...doc.findings[0], check: 'no-such-check' }] })).toBe(false);
  });
});

describe('ndjson', () => {
  it.each(all)('%s: one line per finding, each the finding of the JSON report', async (_name, report) => {
    const text = await render('ndjson', report);
    const json = JSON.parse(await render('json', report));
    expect(text === '' ? [] : lines(text).map((l) => JSON.parse(l))).toEqual(json.findings);
  });
});

describe('compact', () => {
  it.each(all)('%s: one greppable line per finding, one per check not checked, then the counts', async (_name, report) => {
    const out = lines(await render('compact', report));
    const fs = findings(report);
    // A symbol holding a newline or a carriage return cannot add a line or hide one.
    expect(out).toHaveLength(fs.length + report.skipped.length + 1);
    expect(out.join('\n')).not.toMatch(RAW_CONTROL);
    fs.forEach((f, i) => expect(out[i]).toMatch(new RegExp(`^${f.severity} ${f.check} \\S`)));
    expect(out.slice(fs.length, -1)).toEqual(report.skipped.map((s) => `not-checked ${s.check}: ${s.reason}`));
    const counts = SEVERITIES.map((s) => `${report.summary.bySeverity[s]} ${s}`).join(', ');
    const uncertain = report.summary.uncertain ? `; ${report.summary.uncertain} uncertain` : '';
    expect(out.at(-1)).toBe(
      `${fs.length} finding${fs.length === 1 ? '' : 's'} (${counts}${uncertain})${report.summary.restart ? `; restart: ${report.summary.restart.text}` : ''}`,
    );
  });

  it('writes each finding as severity, check, exchange/symbol and message', async () => {
    const report = REPORTS['check-failure-modes'];
    expect(lines(await render('compact', report)).slice(0, report.findings.length)).toEqual(
      findings(report).map((f) => `${f.severity} ${f.check} ${f.exchange}/${f.symbol}: ${f.message}`),
    );
  });

  it('shows control characters as escapes', async () => {
    const text = await render('compact', REPORTS['diff-hostile']);
    expect(text).toContain('binance/ESC\\x1b[2J\\rCR: ');
    expect(text).toContain('binance/S\\n```\\n[l](//e.co): ');
  });
});

describe('junit', () => {
  type Case = { '@_name': string; '@_classname': string; failure?: { '@_type': string }[]; skipped?: { '@_message': string }; 'system-out'?: string };
  async function parse(report: Report, failOn: RenderOptions['failOn'] = 'high') {
    const { XMLParser, XMLValidator } = await import('fast-xml-parser');
    const text = await render('junit', report, { failOn });
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testcase', 'failure'].includes(name) }).parse(text);
    const suite = doc.testsuites.testsuite;
    return { suite, cases: (suite.testcase ?? []) as Case[] };
  }

  it.each(all)('%s: parseable XML, a case per finding, per check that found nothing and per check not checked', async (_name, report) => {
    const { suite, cases } = await parse(report);
    const clean = Object.entries(report.summary.byCheck).filter(([, n]) => n === 0);
    expect(cases).toHaveLength(report.findings.length + clean.length + report.skipped.length);
    expect(Number(suite['@_tests'])).toBe(cases.length);
    expect(Number(suite['@_failures'])).toBe(cases.filter((c) => c.failure).length);
    expect(Number(suite['@_failures'])).toBe(findings(report).filter((f) => atOrAbove(f.severity, 'high')).length);
    expect(cases.filter((c) => c.skipped).map((c) => [c['@_name'], c.skipped?.['@_message']])).toEqual(report.skipped.map((s) => [s.check, s.reason]));
    expect(Number(suite['@_skipped'])).toBe(report.skipped.length);
    expect(suite['@_time']).toBe('1.250');
  });

  it('names each case by check, exchange and symbol; fails those at or above --fail-on, with their severity; passes the rest with the finding in its output', async () => {
    const report = REPORTS['check-failure-modes'];
    const { cases } = await parse(report);
    for (const f of findings(report)) expect(cases.map((c) => c['@_name'])).toContain(`${f.check} ${f.exchange}/${f.symbol}`);
    for (const [check] of Object.entries(report.summary.byCheck).filter(([, n]) => n === 0))
      expect(cases.find((c) => c['@_name'] === check)?.failure).toBeUndefined();
    const named = (name: string) => cases.filter((c) => c['@_name'].startsWith(`${name} `));
    expect(named('invalid-stop-row').filter((c) => c.failure)).toHaveLength(6);
    expect(named('side-mismatch')[0]?.failure?.[0]?.['@_type']).toBe('critical');
    // Medium, below --fail-on high: passing, with the finding in its output.
    const late = named('late-persisted').find((c) => c['@_name'].includes('LATEAUSDT'));
    expect(late?.failure).toBeUndefined();
    expect(late?.['system-out']).toContain('LATEAUSDT');
    // --fail-on none fails nothing; --fail-on info fails every finding.
    expect(Number((await parse(report, 'none')).suite['@_failures'])).toBe(0);
    expect(Number((await parse(report, 'info')).suite['@_failures'])).toBe(report.findings.length);
  });
});

describe('github', () => {
  it.each(all)(
    '%s: only workflow commands, an annotation per finding at its level, a warning per check not checked, a notice per note',
    async (_name, report) => {
      const out = lines(await render('github', report));
      for (const line of out) expect(line).toMatch(/^::(error|warning|notice) title=[^:\n]*::[^\n]+$/);
      const fs = findings(report);
      expect(out).toHaveLength(fs.length + report.skipped.length + report.notes.length + 1);
      const level = { critical: 'error', high: 'error', medium: 'warning', low: 'warning', info: 'notice' };
      fs.forEach((f, i) => expect(out[i]?.startsWith(`::${level[f.severity]} title=ts-audit ${f.check} `)).toBe(true));
      expect(out.slice(fs.length, fs.length + report.skipped.length).every((l) => l.startsWith('::warning title=ts-audit%3A '))).toBe(true);
      expect(out.at(-1)).toMatch(new RegExp(`^::notice title=ts-audit ${report.command}::${fs.length} findings? \\(`));
    },
  );

  it("escapes a property's separators and a message's line breaks", async () => {
    const out = lines(await render('github', REPORTS['diff-hostile']));
    expect(out).toContain(
      '::error title=ts-audit missing-in-db binance/NO%2CROW%3AUSDT::HIGH: stop exists only in memory: a restart recreates it from scratch',
    );
    expect(out.join('\n')).not.toMatch(RAW_CONTROL);
    // A newline in a symbol is the workflow command's encoded line break, never a line of its own.
    expect(out.some((l) => l.startsWith('::error title=ts-audit missing-in-db binance/S%0A```%0A[l](//e.co)::'))).toBe(true);
  });
});

describe('sarif', () => {
  const schema = JSON.parse(readFileSync(new URL('../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'));
  // The OASIS schema is draft-04 and its patterns are not unicode-mode regular expressions.
  delete schema.$schema;
  delete schema.id;
  // Compiled once: the OASIS schema is large.
  let compiled: Promise<ValidateFunction> | undefined;
  const validate = () =>
    (compiled ??= import('ajv').then(({ Ajv }) =>
      new Ajv({ strict: false, allErrors: true, validateSchema: false, validateFormats: false, unicodeRegExp: false }).compile(schema),
    ));

  it.each(all)('%s: valid SARIF 2.1.0, a rule per check that ran, a result per finding, a notification per check not checked', async (_name, report) => {
    const check = await validate();
    const sarif = JSON.parse(await render('sarif', report));
    expect(check(sarif), JSON.stringify(check.errors)).toBe(true);
    const [run0] = sarif.runs;
    expect(run0.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(Object.keys(report.summary.byCheck));
    expect(run0.results).toHaveLength(report.findings.length);
    const level = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
    findings(report).forEach((f, i) => {
      const r = run0.results[i];
      expect(r.ruleId).toBe(f.check);
      expect(run0.tool.driver.rules[r.ruleIndex].id).toBe(f.check);
      expect(r.level).toBe(level[f.severity]);
      expect(r.locations[0].logicalLocations[0].fullyQualifiedName).toBe(`${f.exchange}/${f.symbol}`);
    });
    const notes = run0.invocations[0].toolExecutionNotifications ?? [];
    expect(notes.filter((n: { level: string }) => n.level === 'warning')).toHaveLength(report.skipped.length);
  });

  it('the schema bites', async () => {
    expect((await validate())({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });

  it('gives the same finding the same fingerprint in every run, and different findings different ones', async () => {
    const prints = (text: string) =>
      JSON.parse(text).runs[0].results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['tsAuditFinding/v1']);
    const report = REPORTS['check-failure-modes'];
    const once = prints(await render('sarif', report));
    expect(prints(await render('sarif', savedReport('check-failure-modes')))).toEqual(once);
    expect(new Set(once).size).toBe(once.length);
  });
});

describe('prometheus', () => {
  /** The samples of a text exposition, each checked to follow its own TYPE line. */
  function samples(text: string): Map<string, number> {
    const found = new Map<string, number>();
    let typed = '';
    for (const line of lines(text)) {
      if (line.startsWith('# HELP ')) continue;
      const type = /^# TYPE ([a-z_]+) gauge$/.exec(line);
      if (type) {
        typed = type[1] ?? '';
        continue;
      }
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|NaN)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(m?.[1]).toBe(typed);
      found.set(`${m?.[1]}${m?.[2] ?? ''}`, Number(m?.[3]));
    }
    return found;
  }

  it.each(all)('%s: valid text exposition; the findings by check and severity add up to the report', async (_name, report) => {
    const s = samples(await render('prometheus', report));
    const command = `command="${report.command}"`;
    let total = 0;
    for (const check of Object.keys(report.summary.byCheck)) {
      for (const severity of SEVERITIES) {
        const n = s.get(`ts_audit_findings{${command},check="${check}",severity="${severity}"}`);
        expect(n, `${check} ${severity}`).toBe(findings(report).filter((f) => f.check === check && f.severity === severity).length);
        total += n ?? 0;
      }
    }
    expect(total).toBe(report.findings.length);
    expect(s.get(`ts_audit_findings_uncertain{${command}}`)).toBe(report.summary.uncertain ?? 0);
    for (const skipped of report.skipped) expect(s.get(`ts_audit_check_skipped{${command},check="${skipped.check}"}`)).toBe(1);
    expect(s.get(`ts_audit_open_positions{${command}}`)).toBe(report.summary.openPositions ?? undefined);
    expect(s.get(`ts_audit_stops_in_memory{${command}}`)).toBe(report.summary.stopsInMemory ?? undefined);
    expect(s.get(`ts_audit_last_run_timestamp_seconds{${command}}`)).toBe(Math.floor(report.generatedAt.getTime() / 1000));
    expect(s.get(`ts_audit_run_duration_seconds{${command}}`)).toBe(1.25);
    const restart = report.summary.restart;
    expect(s.get(`ts_audit_restoration_ratio{${command}}`)).toBe(
      restart && restart.openPositions > 0 ? Number((restart.restored / restart.openPositions).toFixed(6)) : undefined,
    );
  });

  it("diff: every documented series, memory's stops and the mismatch between memory and the database", async () => {
    const s = samples(await render('prometheus', REPORTS['diff-incident']));
    const names = new Set([...s.keys()].map((k) => k.replace(/\{.*$/, '')));
    for (const n of [
      'ts_audit_findings',
      'ts_audit_stops_in_memory',
      'ts_audit_stops_in_db',
      'ts_audit_open_positions',
      'ts_audit_memory_db_mismatch',
      'ts_audit_restoration_ratio',
      'ts_audit_last_run_timestamp_seconds',
      'ts_audit_run_duration_seconds',
    ])
      expect(names).toContain(n);
    expect(s.get('ts_audit_findings{command="diff",check="missing-in-db",severity="high"}')).toBe(12);
    expect(s.get('ts_audit_stops_in_memory{command="diff"}')).toBe(14);
    expect(s.get('ts_audit_memory_db_mismatch{command="diff"}')).toBe(13);
  });
});

describe('markdown', () => {
  const md = new MarkdownIt({ html: true, linkify: true });
  const textOf = htmlText;

  it.each(all)('%s: the command, the restart, what was not checked, the notes, and a table row per finding', async (_name, report) => {
    const text = await render('markdown', report);
    expect(text.startsWith(`## ts-audit ${report.command}\n`)).toBe(true);
    if (report.summary.restart) expect(text).toContain(`- **Restart:** `);
    const rendered = textOf(md.render(text));
    for (const s of report.skipped) expect(rendered).toContain(`Not checked: ${s.check}: `);
    expect(rendered.match(/^Note: /gm) ?? []).toHaveLength(report.notes.length);
    const rows = text.split('\n').filter((l) => /^\| (critical|high|medium|low|info) \| `[a-z-]+` \|/.test(l));
    expect(rows).toHaveLength(report.findings.length);
    if (report.findings.length === 0) expect(text).toContain('\nNo findings.\n');
    expect(text).not.toMatch(RAW_CONTROL);
  });

  it('restore: the findings, the restart line and the outcome of every open position', async () => {
    const report = REPORTS['restore-incident'];
    const text = await render('markdown', report);
    expect(textOf(md.render(text))).toContain(`Restart: ${report.summary.restart?.text}`);
    expect(text).toMatch(/^\| high \| `restore-loss` \| bybit \| RADUSDT \| \d+ \| /m);
    expect(text).toContain('| Exchange | Symbol | Position | On restart | Why |');
    expect(text).toMatch(/\| bybit \| RADUSDT \| #\d+ \| (restored|\*\*[a-z-]+\*\*) \| /);
    expect(text.split('\n').filter((l) => /^\| (binance|bybit) \| [A-Z0-9]+ \| #\d+ \| /.test(l))).toHaveLength(report.details?.restore?.length ?? -1);
  });

  it('timestamps: each open position opened and its row created, in UTC and the display zone, with the lag', async () => {
    const text = await render('markdown', REPORTS['timestamps-incident']);
    expect(text).toContain('### Position opened vs stop row created');
    expect(text).toMatch(
      /\| bybit \| RADUSDT \| #\d+ \| 2025-10-26 13:05:54 \| 2025-10-26 17:05:54 \| 2025-10-26 16:30:34 \| 2025-10-26 20:30:34 \| 3h 24m \(late\) \|/,
    );
  });

  it('hostile symbols: each shown as text in its cell, nothing live, no row or block split', async () => {
    const report = REPORTS['diff-hostile'];
    const text = await render('markdown', report);
    const html = md.render(text);
    expect(html).not.toMatch(/<script|<img/i);
    // The only links are ts-audit's own, to a heading of the report.
    for (const a of html.match(/<a [^>]*>/g) ?? []) expect(a).toMatch(/^<a href="#[a-z-]+">$/);
    expect(md.parse(text, {}).filter((t) => t.type === 'fence')).toHaveLength(0);
    expect(md.parse(text, {}).filter((t) => t.type === 'tr_open')).toHaveLength(1 + report.findings.length);
    const shown = textOf(html);
    for (const s of [
      '<script>x</script>',
      '<img onerror=x>',
      'https://e.co',
      'A|B*C_D`E',
      'S\\n```\\n[l](//e.co)',
      'ESC\\x1b[2J\\rCR',
      '\\u202eRTL',
      'NO,ROW:USDT',
    ])
      expect(shown).toContain(s);
  });
});

describe('table', () => {
  /** Lines wider than the width, but for the database URL, which is never broken (on a line of its own when it does not fit). */
  const tooWide = (text: string, width: number, report: Report) =>
    text.split('\n').filter((l) => length(l) > width && !(report.database && l === report.database.target));

  it.each(all)('%s: fits 40, 64, 80, 100 and 160 columns', async (_name, report) => {
    for (const width of [40, 64, 80, 100, 160]) expect(tooWide(await render('table', report, { width }), width, report), `${width}`).toEqual([]);
  });

  it.each(all)('%s: at the narrowest width (40) the summary under the findings still fits: headline and counts wrap', async (_name, report) => {
    const text = await render('table', report, { width: 40 });
    const lines = text.split('\n');
    const at = lines.findIndex((l) => /^(\d[\d,]* problems?|No findings\.|No late rows\.)/.test(l));
    expect(at, text).toBeGreaterThanOrEqual(0);
    expect(lines.slice(at).filter((l) => length(l) > 40)).toEqual([]);
    // Every severity's count is still there, in order.
    if (report.findings.length > 0) expect(lines.slice(at).join(' ')).toMatch(/critical[^]*high[^]*medium[^]*low[^]*info/);
  });

  it.each(all)('%s: the counts, the restart, what was not checked, and a line per finding position', async (_name, report) => {
    const text = await render('table', report);
    const fs = findings(report);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).not.toContain('\u001b');
    if (report.summary.restart) expect(text.replace(/\n\s*/g, ' ')).toContain(`Restart: ${report.summary.restart.text}`);
    for (const s of report.skipped) expect(text.replace(/\n\s*/g, ' ')).toMatch(new RegExp(`Not checked: [a-z, -]*${s.check}`));
    expect(text).toMatch(new RegExp(`^${report.summary.problems?.total ?? fs.length} problems?`, 'm'));
    if (fs.length === 0) expect(text).toMatch(/^No (findings|late rows)\.$/m);
    // Each finding's position is shown (restore's in its own table); the hostile ones' are below.
    for (const f of fs) if (!HOSTILE.includes(f.symbol)) expect(text).toContain(`${f.symbol}`);
  });

  it('all clear, and still says what it could not check: never a silent "No findings"', async () => {
    const text = await render('table', REPORTS['check-all-clear']);
    expect(text).toMatch(/^No findings\.$/m);
    expect(text.replace(/\n\s*/g, ' ')).toContain(
      'Not checked: lifecycle-missing, lifecycle-orphaned, lifecycle-reentry-peak, lifecycle-reset: the database has no table',
    );
  });

  it('hostile symbols are shown as escapes, never raw', async () => {
    const text = await render('table', REPORTS['diff-hostile'], { width: 160 });
    for (const s of ['ESC\\x1b[2J\\rCR', '\\u202eRTL', 'S\\n```\\n[l](//e.co)', '<script>x</script>', 'NO,ROW:USDT']) expect(text).toContain(s);
  });

  it('--max-rows keeps the worst findings and counts the rest; --quiet prints only the summary, the end of the full table', async () => {
    const report = REPORTS['check-failure-modes'];
    const full = await render('table', report);
    const three = await render('table', report, { maxRows: 3 });
    expect(three).toMatch(new RegExp(`… ${report.findings.length - 3} more findings not shown \\(`));
    const quiet = await render('table', report, { quiet: true });
    expect(full.endsWith(quiet)).toBe(true);
    expect(lines(quiet).length).toBeLessThan(14);
    expect(quiet).not.toMatch(/^(CRITICAL|HIGH) /m);
  });

  it('colours only when asked', async () => {
    expect(await render('table', REPORTS['check-failure-modes'], { colorLevel: 1 })).toContain('\u001b[');
    expect(await render('table', REPORTS['check-failure-modes'], { colorLevel: 0 })).not.toContain('\u001b[');
  });

  it('logs: each restart in UTC and as logged, with what it restored and created anew', async () => {
    const text = await render('table', REPORTS['logs-incident'], { width: 120 });
    expect(text).toMatch(/2025-10-26 16:30:34 UTC\s+2025-10-26 20:30:34,500\s+1\s+13/);
  });
});
