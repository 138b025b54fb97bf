// The lifecycle scenario through the CLI (in this process: support/in-process.ts): check and restore on the database, logs on the
// bot's log before and after a restart, at 80 columns, with a hostile symbol among the lifecycles.
import { describe, expect, it } from 'vitest';
import { fixture, useScenario } from '../support/db.js';
import { cli } from '../support/in-process.js';
import { AFTER_RESTART, BEFORE_RESTART, writeLifecycleLog } from '../support/lifecycle-logs.js';
import { requireBuild } from '../support/report.js';
import { markdownText } from '../support/markdown.js';

requireBuild();

const HOSTILE =
  "INSERT INTO monitoring.signal_lifecycles (symbol, exchange, state, strategy_params) VALUES (E'EVIL\\x1b[2J|USDT', 'binance', 'in_position', '{}');";
const tooLong = (stdout: string) => stdout.split('\n').filter((l) => [...l].length > 80);

describe('signal lifecycles from the command line', () => {
  const db = useScenario('current', fixture('lifecycles.sql'), HOSTILE);

  it('check: exit 1, the resets and the missing lifecycle at high or above, the restart line not 100%', async () => {
    const r = await cli(['check', '--db', db.url, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      findings: { check: string; severity: string; symbol: string }[];
      summary: { restart: { percent: number; text: string } };
    };
    const high = report.findings
      .filter((f) => f.check.startsWith('lifecycle-') && ['critical', 'high'].includes(f.severity))
      .map((f) => f.symbol)
      .sort();
    expect(high).toEqual(['ARMEDUSDT', 'NOLCUSDT', 'PEAKAUSDT', 'PEAKBUSDT']);
    expect(report.summary.restart.percent).toBeLessThan(100);
    const table = await cli(['check', '--db', db.url]);
    expect(table.stdout).toMatch(/Restart: 2\/6 open positions would get their stop back \(33%\)/);
    expect(table.stdout).not.toContain('\u001b');
    expect(table.stdout).toContain('EVIL\\x1b[2J|USDT');
    expect(tooLong(table.stdout)).toEqual([]);
  });

  it('restore: both mechanisms per open position, in every format', async () => {
    const r = await cli(['restore', '--db', db.url]);
    expect(r.stdout).toMatch(/why; lifecycle on restart/);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/exit peak 1\.155 -> 1, latch armed -> disarmed/);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/no lifecycle: no trailing exit/);
    expect(tooLong(r.stdout)).toEqual([]);
    const md = await cli(['restore', '--db', db.url, '--format', 'markdown']);
    expect(md.stdout).toMatch(/\| Lifecycle on restart \|/);
    expect(markdownText(md.stdout)).toMatch(/exit peak 2\.31 -> 2, latch armed -> disarmed/);
  });

  it('logs: the swallowed persist failure before the restart; the two lost activations over the whole log', async () => {
    const before = await cli(['logs', writeLifecycleLog(BEFORE_RESTART), '--log-timezone', 'Asia/Dubai', '--format', 'json']);
    const b = JSON.parse(before.stdout) as { findings: { check: string; severity: string; symbol: string }[] };
    expect(b.findings.filter((f) => f.check.startsWith('lifecycle-')).map((f) => `${f.check} ${f.severity} ${f.symbol}`)).toEqual([
      'lifecycle-persist-failure high NOLCUSDT',
    ]);
    expect(before.code).toBe(1);
    const whole = await cli(['logs', writeLifecycleLog([...BEFORE_RESTART, ...AFTER_RESTART]), '--log-timezone', 'Asia/Dubai']);
    expect(whole.stdout).toMatch(/lifecycle-activation-lost/);
    expect(whole.stdout).toMatch(/PEAKAUSDT/);
    expect(whole.stdout).toMatch(/PEAKBUSDT/);
    expect(tooLong(whole.stdout)).toEqual([]);
  });
});

describe('the incident report with a lifecycle of no position at all', () => {
  // A lifecycle row whose symbol has no position and no stop row (an exit long ago, the position row
  // archived): the report's timeline must not take the finding's symbol for a filter that matches nothing.
  const db = useScenario(
    'current',
    fixture('lifecycles.sql'),
    `INSERT INTO monitoring.signal_lifecycles (symbol, exchange, signal_id, state, strategy_params, entry_price, max_price, last_exit_price, in_position, ts_activated)
     VALUES ('NOPOSUSDT', 'binance', 999, 'in_position', '{"base_activation": 10.0, "base_callback": 3.0}', 1, 1, 0, true, false);`,
  );

  it('is written, with the finding, instead of refusing a --symbol nobody gave', async () => {
    const r = await cli(['report', '--db', db.url, '--fail-on', 'none']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(markdownText(r.stdout)).toMatch(/lifecycle-orphaned/);
    expect(markdownText(r.stdout)).toMatch(/NOPOSUSDT/);
  });
});
