import { describe, expect, it } from 'vitest';
import { prefetched } from '../../src/dump/prefetch.js';
import type { DumpReader, MemoryStop } from '../../src/dump/types.js';

/** A reader of `n` stops that counts how many were pulled, and fails at `failAt` if given. */
function reader(n: number, failAt?: number) {
  const pulled = { count: 0 };
  const r: DumpReader = {
    source: 'test',
    header: () => ({ format: 'ts-audit-json', dumpedAt: null }),
    async *stops() {
      for (let i = 0; i < n; i++) {
        await Promise.resolve();
        if (i === failAt) throw new Error(`bad stop ${i}`);
        pulled.count += 1;
        yield { entry: i, exchange: 'x', symbol: `S${i}` } as MemoryStop;
      }
    },
  };
  return { r, pulled };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

async function symbols(r: DumpReader): Promise<string[]> {
  const out: string[] = [];
  for await (const s of r.stops()) out.push(s.symbol);
  return out;
}

describe('prefetched', () => {
  it('reads ahead at most `limit` stops before they are asked for, then hands out every stop in order', async () => {
    const { r, pulled } = reader(10);
    const p = prefetched(r, 4);
    await settle();
    expect(pulled.count).toBe(4);
    expect(await symbols(p)).toEqual(Array.from({ length: 10 }, (_, i) => `S${i}`));
    expect(p.source).toBe('test');
  });

  it("starts reading ahead only once `after` settles (diff's connection: resolved or failed), and all the same when asked first", async () => {
    for (const outcome of ['resolve', 'reject'] as const) {
      const { r, pulled } = reader(10);
      let settleAfter: () => void = () => undefined;
      const after = new Promise<void>((resolve, reject) => (settleAfter = outcome === 'resolve' ? resolve : () => reject(new Error('no connection'))));
      const p = prefetched(r, 4, after);
      await settle();
      expect(pulled.count).toBe(0);
      settleAfter();
      await settle();
      expect(pulled.count).toBe(4);
      expect(await symbols(p)).toHaveLength(10);
    }
    const { r } = reader(3);
    expect(await symbols(prefetched(r, 4, new Promise<void>((resolve) => setTimeout(resolve, 30))))).toEqual(['S0', 'S1', 'S2']);
  });

  it('reads a dump smaller than the limit whole, and ends', async () => {
    const { r } = reader(3);
    expect(await symbols(prefetched(r, 100))).toEqual(['S0', 'S1', 'S2']);
  });

  it('holds a bad stop until the stops are read, after the good ones before it', async () => {
    const { r } = reader(10, 2);
    const p = prefetched(r, 5);
    await settle(); // the failure happens here, and must not surface as an unhandled rejection
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const s of p.stops()) seen.push(s.symbol);
      })(),
    ).rejects.toThrow('bad stop 2');
    expect(seen).toEqual(['S0', 'S1']);
  });
});
