// Writes small state dumps for a test into a temporary folder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type DumpOptions, openDump } from '../../src/dump/read.js';
import type { MemoryStop } from '../../src/dump/types.js';
import { DumpError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'ts-audit-dumps-'));
let n = 0;

export function writeDump(content: string | object, ext = 'json'): string {
  const file = join(dir, `dump-${++n}.${ext}`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

export function stopsDump(stops: object[], dumpedAt = '2025-10-26T16:29:00Z'): string {
  return writeDump({ format: 'ts-audit/stops@1', dumpedAt, stops });
}

/** An NDJSON dump of `stops` stops that have no rows (one missing-in-db finding each). */
export function spillingDump(stops: number): string {
  const lines = [JSON.stringify({ format: 'ts-audit/stops@1', dumpedAt: '2025-10-26T16:29:00Z' })];
  for (let i = 0; i < stops; i++) {
    lines.push(
      JSON.stringify({
        exchange: i % 2 ? 'binance' : 'bybit',
        symbol: `Z${i}USDT`,
        side: 'long',
        state: i % 5 ? 'waiting' : 'active',
        is_activated: i % 5 === 0,
        entry_price: '1.5',
        highest_price: '1.6',
        lowest_price: '999999',
        current_stop_price: null,
        activation_price: '1.6',
        quantity: '1',
        update_count: i % 7,
      }),
    );
  }
  return writeDump(`${lines.join('\n')}\n`, 'ndjson');
}

const opts: DumpOptions = { timeoutMs: 5000 };

/** Every stop of a dump, with its header and source, the reader closed after. */
export async function readAll(spec: string, options: DumpOptions = opts) {
  const reader = await openDump(spec, options);
  const stops: MemoryStop[] = [];
  try {
    for await (const s of reader.stops()) stops.push(s);
  } finally {
    await reader.close?.();
  }
  return { header: reader.header(), stops, source: reader.source };
}

/** The message of the DumpError reading a dump ends in (and a failure if it reads). */
export async function dumpError(spec: string, options: DumpOptions = opts): Promise<string> {
  try {
    await readAll(spec, options);
  } catch (err) {
    expect(err).toBeInstanceOf(DumpError);
    return (err as Error).message;
  }
  throw new Error('expected a DumpError');
}
