// The bot's Python logs (docs/bot.md#log-lines), read as a stream: plain or gzip, rotated files in
// the order they were written, multi-line records folded into the record they continue. Times are
// host-local without a zone and are converted with the zone of the host that wrote them.
import { constants, createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { notRegular, readProblem } from '../files.js';
import { createGunzip } from 'node:zlib';
import { splitLines } from '../dump/source.js';
import { DumpError } from '../errors.js';

export interface LogRecord {
  /** Local wall-clock time as written, e.g. "2025-10-26 20:30:34,973". */
  local: string;
  at: Date;
  logger: string;
  level: string;
  message: string;
  file: string;
  line: number;
}

const RECORD = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{3}) - (\S+) - ([A-Z]+) - (.*)$/;
/** A record longer than this (a huge traceback) is cut: memory stays bounded whatever the file. */
const MAX_MESSAGE = 16 * 1024;
/**
 * A log line longer than this many characters is read as its first LOG_LINE_MAX_CHARS and the rest of
 * it is skipped (and counted): memory stays bounded on a line with no end. No line the bot writes
 * comes near it.
 */
export const LOG_LINE_MAX_CHARS = 64 * 1024;

/** What reading the logs met besides records: lines cut at LOG_LINE_MAX_CHARS. */
export interface ReadStats {
  longLines: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

/** The zone's offset from UTC in ms at instant t (cached per zone and quarter hour: logs have millions of lines). */
function offsetAt(zone: string, t: number): number {
  const key = `${zone}\u0000${Math.floor(t / 900_000)}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
  const offset = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0) - Math.floor(t / 1000) * 1000;
  if (offsets.size > 100_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/** Converts a host-local wall-clock time to UTC in the given IANA zone (DST included). */
export function zonedToUtc(parts: number[], zone: string): Date {
  const [y, mo, d, h, mi, s, ms] = parts as [number, number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // The offset at the instant itself, found in two steps so that a DST edge between guess and answer settles.
  const guess = asUtc - offsetAt(zone, asUtc);
  return new Date(asUtc - offsetAt(zone, guess));
}

async function openLines(file: string, stats?: ReadStats) {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting, deaf to signals.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new DumpError(`cannot read log ${file}: ${readProblem(err)}`, { cause: err });
  }
  // A log is read twice (its first record orders rotated files): only a regular file can be.
  const kind = notRegular(await handle.stat().catch(() => null));
  if (kind) {
    await handle.close();
    throw new DumpError(
      `cannot read log ${file}: ${kind === 'a folder' ? 'it is a folder, not a file' : `it is ${kind}, not a regular file (save the log to a file first)`}`,
    );
  }
  const head = Buffer.alloc(2);
  try {
    await handle.read(head, 0, 2, 0);
  } catch (err) {
    throw new DumpError(`cannot read log ${file}: ${readProblem(err)}`, { cause: err });
  } finally {
    await handle.close();
  }
  const raw = createReadStream(file);
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const stream = gzip ? raw.pipe(createGunzip()) : raw;
  if (gzip) raw.on('error', (e) => stream.destroy(e));
  const lines = splitLines(stream, file, undefined, undefined, undefined, {
    maxChars: LOG_LINE_MAX_CHARS,
    onCut: () => {
      if (stats) stats.longLines += 1;
    },
  });
  return {
    lines,
    close: () => {
      void lines.return(undefined);
      stream.destroy();
    },
  };
}

/** The first record's time of each file, to put rotated files in the order they were written. */
async function firstTime(file: string, zone: string): Promise<number> {
  const { lines, close } = await openLines(file);
  try {
    for (let r = await lines.next(); !r.done; r = await lines.next()) {
      const m = RECORD.exec(r.value.text);
      if (m) return zonedToUtc(m.slice(1, 8).map(Number), zone).getTime();
    }
    return Number.POSITIVE_INFINITY;
  } finally {
    close();
  }
}

export async function orderFiles(files: string[], zone: string): Promise<string[]> {
  const keyed = await Promise.all(files.map(async (f) => ({ f, t: await firstTime(f, zone) })));
  return keyed.sort((a, b) => a.t - b.t).map((k) => k.f);
}

/** Every record of the files, oldest file first, continuation lines folded into their record. */
export async function* readRecords(files: string[], zone: string, stats?: ReadStats): AsyncGenerator<LogRecord> {
  for (const file of await orderFiles(files, zone)) {
    let pending: LogRecord | undefined;
    let number = 0;
    const { lines } = await openLines(file, stats);
    try {
      for await (const { text: line, number: n } of lines) {
        number = n;
        const m = RECORD.exec(line);
        if (m) {
          if (pending) yield pending;
          pending = {
            // Rebuilt from the short groups, not line.slice(): a slice of 13+ characters is a V8 sliced
            // string that keeps the whole read chunk alive for as long as the record is kept.
            local: `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]},${m[7]}`,
            at: zonedToUtc(m.slice(1, 8).map(Number), zone),
            logger: m[8] ?? '',
            level: m[9] ?? '',
            message: m[10] ?? '',
            file,
            line: number,
          };
        } else if (pending && pending.message.length < MAX_MESSAGE) {
          pending.message = `${pending.message}\n${line}`.slice(0, MAX_MESSAGE);
        }
      }
    } catch (err) {
      if (err instanceof DumpError) throw err;
      throw new DumpError(`reading log ${file} failed at line ${number}: ${(err as Error).message}`, { cause: err });
    }
    if (pending) yield pending;
  }
}
