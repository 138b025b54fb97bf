import { existsSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/checks/types.js';
import { KeyIndex, PairIndex } from '../../src/key-index.js';
import { FindingStore, compareFindings, releaseSpills } from '../../src/report/findings.js';
import { SEVERITIES } from '../../src/severity.js';

/** Findings in a scrambled order, with ties (same severity, exchange, symbol and check) and non-ASCII symbols. */
function findings(n: number): Finding[] {
  return Array.from({ length: n }, (_, i) => {
    const k = (i * 7919) % n;
    return {
      check: k % 3 === 0 ? 'missing-in-db' : 'field-drift',
      severity: SEVERITIES[k % SEVERITIES.length] as Finding['severity'],
      exchange: k % 2 === 0 ? 'binance' : 'bybit',
      symbol: `${k % 5 === 0 ? 'Ω€' : 'S'}${k % 97}USDT`,
      positionId: k,
      message: `finding ${i}`,
      evidence: { order: i, note: 'é'.repeat(k % 4) },
    };
  });
}

const stores: FindingStore[] = [];
const store = (...args: ConstructorParameters<typeof FindingStore>) => {
  const s = new FindingStore(...args);
  stores.push(s);
  return s;
};
afterEach(() => {
  for (const s of stores.splice(0)) s.release();
});

describe('FindingStore', () => {
  it('returns the same order as a stable in-memory sort, whether or not it spills', () => {
    const input = findings(2_500);
    const expected = [...input].sort(compareFindings).map((f) => f.message);
    for (const spillAt of [100_000, 1_000, 333, 50]) {
      const s = store(spillAt);
      for (const f of input) s.add(f);
      const out = s.finish();
      expect(out.length).toBe(input.length);
      // Read twice: a spilled set can be iterated again (a report and a step summary both read it).
      expect([...out].map((f) => f.message)).toEqual(expected);
      expect([...out].map((f) => f.message)).toEqual(expected);
    }
  });

  it('reads back findings exactly as JSON writes them, multi-byte characters included', () => {
    const input = findings(50).map((f) => ({ ...f, symbol: `${'€'.repeat(5000)}${f.symbol}`, evidence: { at: new Date(Date.UTC(2025, 9, 26, 9, 5, 14)) } }));
    const s = store(7);
    for (const f of input) s.add(f);
    const out = [...s.finish()];
    expect(out.map((f) => JSON.stringify(f))).toEqual([...input].sort(compareFindings).map((f) => JSON.stringify(f)));
  });

  it('applies its transform to each finding as it is added', () => {
    const s = store(3, (f) => ({ ...f, severity: 'info' }));
    for (const f of findings(10)) s.add(f);
    expect([...s.finish()].every((f) => f.severity === 'info')).toBe(true);
  });

  it('spills into a folder only its user may read, and removes it when released', () => {
    const s = store(2);
    for (const f of findings(5)) s.add(f);
    const folder = s.folder as string;
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    s.release();
    expect(existsSync(folder)).toBe(false);
  });

  it("removes every store's spill files on releaseSpills, and adds one exit listener however many stores spill", () => {
    const listeners = process.listenerCount('exit');
    const spilled = Array.from({ length: 12 }, () => {
      const s = store(2);
      for (const f of findings(5)) s.add(f);
      expect([...s.finish()]).toHaveLength(5);
      return s.folder as string;
    });
    expect(spilled.every((folder) => existsSync(folder))).toBe(true);
    expect(process.listenerCount('exit')).toBeLessThanOrEqual(listeners + 1);
    releaseSpills();
    expect(spilled.filter((folder) => existsSync(folder))).toEqual([]);
  });

  it('keeps the findings added after boundedFromHere in memory up to SPILL_AT, in the order they were added', () => {
    const input = findings(2_500);
    const s = store(50);
    for (const f of input.slice(0, 40)) s.add(f);
    s.boundedFromHere();
    for (const f of input.slice(40)) s.add(f);
    const out = s.finish();
    expect(s.folder).toBeUndefined();
    expect(Array.isArray(out)).toBe(true);
    expect([...out].map((f) => f.message)).toEqual([...input].sort(compareFindings).map((f) => f.message));
  });

  it('keeps a small run in memory: no folder at all', () => {
    const s = store();
    for (const f of findings(50)) s.add(f);
    s.finish();
    expect(s.folder).toBeUndefined();
  });
});

describe('KeyIndex', () => {
  it('maps every key exactly, through growth, with non-ASCII keys and keys that share a prefix', () => {
    const index = new KeyIndex();
    const keys = Array.from({ length: 20_000 }, (_, i) => `${i % 2 ? 'binance' : 'bybit'}\u0000${i % 3 ? 'S' : 'Ω'}${i}USDT`);
    expect(keys.filter((k, i) => index.set(k, i + 1) !== undefined)).toEqual([]);
    expect(index.size).toBe(keys.length);
    expect(keys.filter((k, i) => index.get(k) !== i + 1)).toEqual([]);
    expect(index.get('binance\u0000S1USD')).toBeUndefined();
    expect(index.get('')).toBeUndefined();
    // A second set of a key returns its earlier value: the duplicate guard's question.
    expect(index.set(keys[123] as string, 99)).toBe(124);
    expect(index.get(keys[123] as string)).toBe(99);
    expect(index.size).toBe(keys.length);
  });
});

describe('PairIndex', () => {
  it('maps every (exchange, symbol) pair exactly, before and after it moves them to a KeyIndex', () => {
    for (const limit of [100_000, 1000]) {
      const index = new PairIndex(limit);
      const pairs = Array.from({ length: 5000 }, (_, i) => [i % 2 ? 'binance' : 'bybit', `${i % 3 ? 'S' : 'Ω'}${i}USDT`] as const);
      pairs.forEach(([e, s], i) => index.set(e, s, i));
      // Setting a pair again changes its value, not the count, and returns the value it had.
      expect(index.set('bybit', 'S2USDT', -1)).toBe(2);
      expect(index.set('bybit', 'NEWUSDT', 7)).toBeUndefined();
      index.set('bybit', 'NEWUSDT', 7);
      expect(index.size).toBe(pairs.length + 1);
      expect(pairs.filter(([e, s], i) => index.get(e, s) !== (e === 'bybit' && s === 'S2USDT' ? -1 : i))).toEqual([]);
      expect(index.get('binance', 'S1USD')).toBeUndefined();
      // Two pairs are never one key, whatever their characters.
      index.set('a\u0000b', 'c', 1);
      index.set('a', 'b\u0000c', 2);
      expect([index.get('a\u0000b', 'c'), index.get('a', 'b\u0000c'), index.size]).toEqual([1, 2, pairs.length + 3]);
    }
  });
});

describe('renderJson', () => {
  it('writes exactly what JSON.stringify(report, null, 2) writes, and NDJSON each finding as JSON.stringify writes it, at any number of findings', async () => {
    const { renderJson } = await import('../../src/report/json.js');
    const { renderNdjson } = await import('../../src/report/ndjson.js');
    const { Decimal } = await import('../../src/decimal.js');
    for (const n of [0, 1, 255, 256, 257, 600]) {
      // Dates at the top of the evidence (written as ISO strings before stringifying), an invalid one
      // (null), a nested one (left to its toJSON) and a finding without any.
      const list = findings(n).map((f, i) => ({
        ...f,
        evidence:
          i % 7 === 3
            ? { none: i }
            : {
                ...f.evidence,
                price: Decimal.of(`${i}.50`),
                at: new Date(Date.UTC(2025, 9, 26, 0, 0, i)),
                bad: new Date(Number.NaN),
                nested: { list: [1, { deep: 'x\ny', at: new Date(0) }] },
              },
      }));
      const report = {
        tool: 'ts-audit',
        command: 'diff',
        generatedAt: new Date(Date.UTC(2025, 9, 26)),
        summary: { n },
        findings: list,
        notes: ['a "quoted" note'],
      };
      expect([...renderJson(report as never)].join('')).toBe(`${JSON.stringify(report, null, 2)}\n`);
      expect([...renderNdjson(report as never)].join('')).toBe(list.map((f) => `${JSON.stringify(f)}\n`).join(''));
    }
  });
});

describe('prepared JSON (a finding written as it is found)', () => {
  it('writes what the unprepared report writes: problems tagged later, hostile text, mixed with unprepared findings', async () => {
    const { renderJson } = await import('../../src/report/json.js');
    const { prepareJson, preparedJsonOf } = await import('../../src/report/findings.js');
    const { Decimal } = await import('../../src/decimal.js');
    // Text that looks like a finding's closing line, quotes, newlines and a terminal escape in values.
    const hostile = '\n    }\n  ],\n    {"check": "x"}\u001b[31m "\\';
    const make = () =>
      findings(700).map((f, i) => ({
        ...f,
        message: i % 2 ? hostile : f.message,
        evidence: {
          ...f.evidence,
          price: Decimal.of(`${i}.10`),
          at: new Date(Date.UTC(2025, 9, 26, 0, 0, i)),
          nested: { [hostile]: [hostile, { deep: '    }' }] },
        },
      })) as Finding[];
    const plain = make();
    const ready = make();
    // Prepared in batches of different sizes, some findings left to the reporter; one copy made after.
    prepareJson(ready.slice(0, 1));
    prepareJson(ready.slice(1, 200).filter((_, i) => i % 5 !== 0));
    prepareJson(ready.slice(200, 699));
    ready[250] = { ...(ready[250] as Finding), severity: 'critical' };
    expect(ready.filter((f) => preparedJsonOf(f) !== undefined).length).toBe(1 + 159 + 498);
    for (const list of [plain, ready]) for (const [i, f] of list.entries()) if (i % 3) f.problem = i % 2 ? f.check : hostile;
    plain[250] = { ...(plain[250] as Finding), severity: 'critical' };
    const report = (list: Finding[]) => ({ tool: 'ts-audit', summary: { n: list.length }, findings: list, notes: [] });
    const text = [...renderJson(report(ready) as never)].join('');
    expect(text).toBe([...renderJson(report(plain) as never)].join(''));
    expect(text).toBe(`${JSON.stringify(report(plain), null, 2)}\n`);
  });

  it('a store told to prepare makes findings ready a batch at a time as they are added, and leaves one with a problem to the reporter', async () => {
    const { PREPARE_BATCH, preparedJsonOf } = await import('../../src/report/findings.js');
    const store = new FindingStore(undefined, undefined, undefined, 'json');
    const all = findings(PREPARE_BATCH + 2);
    const [a, b] = all as [Finding, Finding];
    b.problem = 'missing-in-db';
    for (const f of all.slice(0, PREPARE_BATCH - 1)) store.add(f);
    // Not a whole batch yet: nothing is prepared.
    expect(preparedJsonOf(a)).toBeUndefined();
    for (const f of all.slice(PREPARE_BATCH - 1)) store.add(f);
    expect(preparedJsonOf(a)).toBe(JSON.stringify({ x: [a] }, null, 2).slice('{\n  "x": [\n    '.length, -'\n    }\n  ]\n}'.length));
    expect(preparedJsonOf(b)).toBeUndefined();
    expect(preparedJsonOf(all[PREPARE_BATCH - 1]!)).toBe(
      JSON.stringify({ x: [all[PREPARE_BATCH - 1]] }, null, 2).slice('{\n  "x": [\n    '.length, -'\n    }\n  ]\n}'.length),
    );
    // The findings after the last whole batch are left to the reporter.
    expect(preparedJsonOf(all[PREPARE_BATCH + 1]!)).toBeUndefined();
    // What renderJson writes of a prepared finding is that text, made when it was stored.
    const { renderJson } = await import('../../src/report/json.js');
    a.message = 'changed after it was stored';
    expect([...renderJson({ findings: [a] } as never)].join('')).toContain(`"message": "finding 0"`);
    const unprepared = findings(1)[0] as Finding;
    new FindingStore().add(unprepared);
    expect(preparedJsonOf(unprepared)).toBeUndefined();
  });
});
