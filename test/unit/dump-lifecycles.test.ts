import { describe, expect, it } from 'vitest';
import { openDump } from '../../src/dump/read.js';
import { DumpError } from '../../src/errors.js';
import { writeDump } from '../support/dumps.js';

const opts = { timeoutMs: 5000 };
const STOP = { exchange: 'binance', symbol: 'PEAKAUSDT', state: 'active' };
const LC = { exchange: 'binance', symbol: 'PEAKAUSDT', state: 'in_position', max_price: 1.155, ts_activated: true, entry_price: '1.0' };

async function lifecyclesOf(file: string) {
  const reader = await openDump(file, opts);
  try {
    const stops = [];
    for await (const s of reader.stops()) stops.push(s);
    return { stops, lifecycles: reader.lifecycles?.() };
  } finally {
    await reader.close?.();
  }
}

describe("the dump's lifecycles section", () => {
  it('reads it from a JSON document, before or after the stops, prices exact', async () => {
    for (const doc of [
      { format: 'ts-audit/stops@1', stops: [STOP], lifecycles: [LC] },
      { lifecycles: [LC], format: 'ts-audit/stops@1', stops: [STOP] },
    ]) {
      const { stops, lifecycles } = await lifecyclesOf(writeDump(doc));
      expect(stops).toHaveLength(1);
      const lc = [...(lifecycles?.values() ?? [])];
      expect(lc).toHaveLength(1);
      expect(lc[0]).toMatchObject({ exchange: 'binance', symbol: 'PEAKAUSDT', state: 'in_position', tsActivated: true, source: 'the dump', exact: true });
      expect(lc[0]?.maxPrice?.toString()).toBe('1.155');
      expect(lc[0]?.entryPrice?.toString()).toBe('1');
    }
  });

  it('reads lifecycle lines of an NDJSON dump, which are not stops', async () => {
    const lines = [{ format: 'ts-audit/stops@1' }, { kind: 'lifecycle', ...LC }, STOP].map((o) => JSON.stringify(o)).join('\n');
    const { stops, lifecycles } = await lifecyclesOf(writeDump(`${lines}\n`, 'ndjson'));
    expect(stops.map((s) => s.symbol)).toEqual(['PEAKAUSDT']);
    expect([...(lifecycles?.values() ?? [])].map((l) => l.maxPrice?.toString())).toEqual(['1.155']);
  });

  it('a dump without the section says nothing of lifecycles', async () => {
    expect((await lifecyclesOf(writeDump({ format: 'ts-audit/stops@1', stops: [STOP] }))).lifecycles).toBeUndefined();
  });

  it('refuses a bad section with the entry and field named', async () => {
    const bad = async (lifecycles: unknown) =>
      lifecyclesOf(writeDump({ format: 'ts-audit/stops@1', stops: [STOP], lifecycles })).then(
        () => 'read',
        (e: unknown) => e,
      );
    expect(await bad({})).toBeInstanceOf(DumpError);
    expect(String(await bad([{ ...LC, max_price: 'lots' }]))).toMatch(/lifecycles: stop #1 \(binance PEAKAUSDT\): field "max_price"/);
    expect(String(await bad([{ ...LC, state: 'open' }]))).toMatch(/field "state": expected one of waiting_data, in_position/);
    expect(String(await bad([{ ...LC, peak: 1 }]))).toMatch(/unknown field "peak"/);
    expect(String(await bad([LC, LC]))).toMatch(/duplicate lifecycle for binance PEAKAUSDT/);
  });
});
