// The memory side of `diff --dump-log`: the latest [TS_DEBUG] "TS symbols in memory" set of each
// exchange. Symbols only: whether a stop exists can be judged from it, its fields cannot.
import { DumpError } from '../errors.js';
import type { DumpReader, MemoryStop } from '../dump/types.js';
import { analyzeLogs } from './analyze.js';
import { readRecords } from './parse.js';

export async function logMemoryReader(files: string[], logTimezone: string): Promise<DumpReader> {
  const analysis = await analyzeLogs(files, readRecords(files, logTimezone));
  if (analysis.memory.length === 0) {
    throw new DumpError(`${files.join(', ')}: no "[TS_DEBUG] ... TS symbols in memory: [...]" line, so nothing says what the bot held in memory`);
  }
  // The earliest of the exchanges' latest sets: a row created after it may simply be newer.
  const dumpedAt = new Date(Math.min(...analysis.memory.map((m) => m.at.getTime())));
  const stops: MemoryStop[] = analysis.memory.flatMap((m) => m.symbols.map((symbol) => ({ entry: 0, exchange: m.exchange, symbol, state: '' })));
  stops.forEach((s, i) => (s.entry = i + 1));
  return {
    source: files.join(', '),
    header: () => ({ format: 'ts-debug-log', dumpedAt }),
    stops: async function* () {
      yield* stops;
    },
  };
}
