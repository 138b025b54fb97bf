// The incident's logs, as the bot wrote them on a host at UTC+4 (Asia/Dubai): a previous session whose
// saves failed (pool not initialised) while 14 stops lived in memory, rotated and gzipped; then the
// restart at 20:30:34 local (16:30:34 UTC) that restored 1 stop and created 13 anew.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BINANCE = ['DOGUSDT', 'STGUSDT', 'MASKUSDT', 'IDEXUSDT', 'AIOZUSDT', 'ZRXUSDT', 'SUIUSDT'];
const BYBIT = ['RADUSDT', '10000ELONUSDT', 'PYRUSDT', 'CLOUDUSDT', '1000BONKUSDT', 'ORDIUSDT', 'HIFIUSDT'];
export const LOST = [...BINANCE, ...BYBIT].filter((s) => s !== 'DOGUSDT').sort();

const line = (time: string, logger: string, level: string, message: string) => `2025-10-26 ${time} - ${logger} - ${level} - ${message}`;
const list = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

export function writeIncidentLogs(): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'ts-audit-logs-'));
  const previous = [
    line('13:05:01,120', '__main__', 'INFO', '🚀 Starting trading bot'),
    line('13:05:02,001', 'core.position_manager', 'INFO', '🎯 Initializing trailing stops for loaded positions...'),
    line('13:05:02,210', 'core.position_manager', 'INFO', '✅ DOGUSDT: TS state restored from DB'),
  ];
  LOST.forEach((symbol, i) => {
    const t = `17:0${Math.floor(i / 3)}:${String(10 + i).padStart(2, '0')},${String(100 + i)}`;
    previous.push(
      line(t, 'protection.trailing_stop', 'ERROR', `❌ ${symbol}: Failed to save TS state: 'NoneType' object has no attribute 'acquire'`),
      'Traceback (most recent call last):',
      '  File "/app/protection/trailing_stop.py", line 167, in _save_state',
      '    async with self.repository.pool.acquire() as conn:',
      "AttributeError: 'NoneType' object has no attribute 'acquire'",
    );
  });
  previous.push(
    line(
      '20:29:50,001',
      'core.position_manager',
      'DEBUG',
      `[TS_DEBUG] Exchange: binance, Trailing manager exists: True, TS symbols in memory: ${list(BINANCE)}`,
    ),
    line('20:29:50,002', 'core.position_manager', 'DEBUG', `[TS_DEBUG] Exchange: bybit, Trailing manager exists: True, TS symbols in memory: ${list(BYBIT)}`),
  );
  const restart = [
    line('20:30:33,900', '__main__', 'INFO', '✅ Repository pool initialized: <asyncpg.pool.Pool object at 0x7f>'),
    line('20:30:34,500', 'core.position_manager', 'INFO', '🎯 Initializing trailing stops for loaded positions...'),
    line('20:30:34,612', 'core.position_manager', 'INFO', '✅ DOGUSDT: TS state restored from DB'),
    ...LOST.map((s, i) => line(`20:30:34,${String(700 + i)}`, 'core.position_manager', 'INFO', `✅ ${s}: New TS created (no state in DB)`)),
  ];
  writeFileSync(join(dir, 'bot.log.1.gz'), gzipSync(`${previous.join('\n')}\n`));
  writeFileSync(join(dir, 'bot.log'), `${restart.join('\r\n')}\r\n`);
  // Given newest first, as a shell glob would list them: ts-audit must put them in order itself.
  return { dir, files: [join(dir, 'bot.log'), join(dir, 'bot.log.1.gz')] };
}

/**
 * Session 2's log of the journal fixture (journal.sql), on a UTC host: a batch holding AUSDT's
 * activation dropped, then a logger that failed to start.
 */
export function writeJournalSessionLog(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ts-audit-logs-')), 'bot.log');
  writeFileSync(
    file,
    [
      '2026-03-01 12:00:00,100 - __main__ - INFO - 🚀 Starting trading bot',
      '2026-03-01 12:30:05,123 - core.event_logger - ERROR - EventLogger batch write failed (1 events): connection reset by peer',
      "2026-03-01 14:05:00,001 - core.event_logger - ERROR - EventLogger initialization failed: 'NoneType' object has no attribute 'acquire'",
      '',
    ].join('\n'),
  );
  return file;
}
