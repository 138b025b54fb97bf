// The memory side of `diff --dump-log`: the latest [TS_DEBUG] "TS symbols in memory" set of each
// exchange. Symbols only: whether a stop exists can be judged from it, its fields cannot. The signal
// lifecycles the log shows activated since its last restart come along, with the highest peak= logged
// (a lower bound of memory's peak), matched to the database by symbol (their lines name no exchange).
import { stopKey } from '../finding.js';
import { Decimal } from '../decimal.js';
import { DumpError } from '../errors.js';
import type { MemoryLifecycles } from '../lifecycles/memory.js';
import type { DumpReader, MemoryStop } from '../dump/types.js';
import { analyzeLogs } from './analyze.js';
import { readRecords } from './parse.js';
import { minOf } from '../arrays.js';

export async function logMemoryReader(files: string[], logTimezone: string): Promise<DumpReader> {
  const analysis = await analyzeLogs(files, readRecords(files, logTimezone));
  if (analysis.memory.length === 0) {
    throw new DumpError(`${files.join(', ')}: no "[TS_DEBUG] ... TS symbols in memory: [...]" line, so nothing says what the bot held in memory`);
  }
  // The earliest of the exchanges' latest sets: a row created after it may simply be newer.
  const dumpedAt = new Date(minOf(analysis.memory.map((m) => m.at.getTime())));
  const stops: MemoryStop[] = analysis.memory.flatMap((m) => m.symbols.map((symbol) => ({ entry: 0, exchange: m.exchange, symbol, state: '' })));
  stops.forEach((s, i) => (s.entry = i + 1));
  const lifecycles: MemoryLifecycles = new Map(
    (analysis.lifecycles?.memory ?? []).map((l) => [
      stopKey('', l.symbol),
      { symbol: l.symbol, tsActivated: l.activated, ...(l.peak ? { maxPrice: Decimal.of(l.peak) } : {}), source: 'the log' },
    ]),
  );
  return {
    source: files.join(', '),
    header: () => ({ format: 'ts-debug-log', dumpedAt }),
    lifecycles: () => (lifecycles.size ? lifecycles : undefined),
    stops: async function* () {
      yield* stops;
    },
  };
}
