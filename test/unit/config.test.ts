import { describe, expect, it } from 'vitest';
import { applySuppression, baselineText } from '../../src/baseline.js';
import type { Finding } from '../../src/checks/types.js';
import { parseConfig } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';
import { countFindings } from '../../src/report/build.js';
import type { Report } from '../../src/report/types.js';

describe('parseConfig', () => {
  it('parses every setting into the types the options use', () => {
    const c = parseConfig(
      {
        database: { url: 'postgresql://a@h/bot', schema: 'trading', tables: { positions: 'pos' }, timezone: 'Europe/Moscow', statementTimeout: '10s' },
        statuses: { open: ['active'], ended: ['closed'] },
        thresholds: { lateAfter: '10m', staleAfter: '2h', recreatedAfter: '1d', entryTolerance: '0.0001', entryTolerancePct: '0.5%', priceTolerance: '0.1%' },
        severity: { 'stale-stop': 'medium' },
        disabled: ['recreated-position'],
        failOn: 'critical',
        allowlist: [{ check: 'orphaned-stop', symbol: 'OLDUSDT', reason: 'kept for the audit trail', expires: '2026-12-31' }],
      },
      'cfg.json',
    );
    expect(c).toMatchObject({
      db: 'postgresql://a@h/bot',
      schema: 'trading',
      tables: { positions: 'pos' },
      statementTimeout: 10_000,
      thresholds: { lateAfter: 600, staleAfter: 7200, recreatedAfter: 86_400, entryTolerance: '0.0001', entryTolerancePct: '0.5' },
      priceTolerance: '0.1%',
      severity: { 'stale-stop': 'medium' },
      disabled: ['recreated-position'],
      failOn: 'critical',
    });
    expect(c.allowlist[0]?.expires).toEqual(new Date('2026-12-31'));
  });

  it('reports every problem together, in one line', () => {
    let message = '';
    try {
      parseConfig(
        {
          databse: {},
          thresholds: { lateAfter: 'soon' },
          severity: { 'no-such-check': 'high', 'stale-stop': 'severe' },
          failOn: 'always',
          allowlist: [{ check: 'orphaned-stop' }],
        },
        'cfg.json',
      );
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/^cfg\.json: 7 problems: /);
    for (const part of [
      'databse: unknown setting (did you mean "database"?)',
      'thresholds.lateAfter: expected a duration',
      'severity.no-such-check: unknown check "no-such-check"',
      'severity.stale-stop: expected one of critical',
      'failOn: expected one of',
      'allowlist[0].symbol: required',
      'allowlist[0].reason: required',
    ]) {
      expect(message).toContain(part);
    }
    expect(message).not.toContain('\n');
  });

  it('names a misspelt check id with the closest one, and a JSON syntax error by line and column', async () => {
    expect(() => parseConfig({ disabled: ['late-persited'] }, 'cfg.json')).toThrow(
      'disabled[0]: unknown check "late-persited" (did you mean "late-persisted"?)',
    );
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { loadConfig } = await import('../../src/config.js');
    const file = `${mkdtempSync(`${tmpdir()}/ts-audit-cfg-`)}/ts-audit.config.json`;
    writeFileSync(file, '{\n  "failOn": "high",\n  "disabled": [,]\n}\n');
    expect(() => loadConfig(file)).toThrow(/ts-audit\.config\.json:3:16: not valid JSON/);
  });
});

const finding = (check: string, symbol: string, severity: Finding['severity'] = 'high', reason?: string): Finding => ({
  check,
  severity,
  exchange: 'binance',
  symbol,
  positionId: null,
  message: '',
  evidence: reason ? { reason } : {},
});

function report(findings: Finding[]): Report {
  return {
    tool: 'ts-audit',
    version: '0',
    reportVersion: 1,
    command: 'check',
    generatedAt: new Date('2026-11-24T00:00:00Z'),
    database: { target: '', serverVersion: '', snapshotAt: new Date(), naiveTimestampZone: 'UTC', naiveColumns: [] },
    dump: null,
    summary: {
      openPositions: 0,
      stopsInDb: 0,
      stopsInMemory: null,
      matched: null,
      restart: null,
      ...countFindings(findings, ['orphaned-stop', 'invalid-stop-row']),
    },
    findings,
    skipped: [],
    notes: [],
  };
}

describe('baselines and allowlists', () => {
  const today = [finding('orphaned-stop', 'AUSDT', 'medium'), finding('invalid-stop-row', 'BUSDT', 'high', 'zero-callback')];

  it('suppresses what the baseline recorded, by reason too, and counts it', () => {
    const baseline = JSON.parse(baselineText(today, new Date())).findings;
    const tomorrow = [...today, finding('invalid-stop-row', 'BUSDT', 'high', 'entry-price-zero'), finding('orphaned-stop', 'CUSDT', 'medium')];
    const r = applySuppression(report(tomorrow), { baseline, now: new Date() });
    expect([...r.findings].map((f) => `${f.symbol} ${f.evidence.reason ?? ''}`.trim())).toEqual(['BUSDT entry-price-zero', 'CUSDT']);
    expect(r.summary.suppressed).toEqual({ baseline: 2, allowlist: 0 });
    expect(r.summary.bySeverity).toMatchObject({ high: 1, medium: 1 });
  });

  it('allowlists until the entry expires, then reports the expiry', () => {
    const entry = { check: 'orphaned-stop', symbol: 'AUSDT', reason: 'known', expires: new Date('2026-12-01') };
    const before = applySuppression(report(today), { allowlist: [entry], now: new Date('2026-11-30T00:00:00Z') });
    expect([...before.findings].map((f) => f.symbol)).toEqual(['BUSDT']);
    expect(before.summary.suppressed).toEqual({ baseline: 0, allowlist: 1 });
    const after = applySuppression(report(today), { allowlist: [entry], now: new Date('2026-12-02T00:00:00Z') });
    expect([...after.findings].map((f) => f.check).sort()).toEqual(['allowlist-expired', 'invalid-stop-row', 'orphaned-stop']);
    expect(after.summary.byCheck['allowlist-expired']).toBe(1);
  });
});
