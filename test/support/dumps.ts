// Writes small state dumps for a test into a temporary folder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
    lines.push(JSON.stringify({ exchange: i % 2 ? 'binance' : 'bybit', symbol: `Z${i}USDT`, side: 'long', state: i % 5 ? 'waiting' : 'active', is_activated: i % 5 === 0, entry_price: '1.5', highest_price: '1.6', lowest_price: '999999', current_stop_price: null, activation_price: '1.6', quantity: '1', update_count: i % 7 }));
  }
  return writeDump(`${lines.join('\n')}\n`, 'ndjson');
}
