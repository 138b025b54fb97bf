// A current bot's log around a restart, with the signal lifecycle lines as it writes them
// (core.signal_lifecycle, host at UTC+4): PEAKAUSDT and PEAKBUSDT activate and peak, then begin to fall
// without an exit; LOWUSDT never activates; NOLCUSDT's write at the open fails (swallowed); EXITUSDT
// activates and exits. The restart rebuilds the lifecycles from their rows; after it PEAKAUSDT
// re-arms at a lower peak, PEAKBUSDT is not re-armed, EXITUSDT is gone.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LC = 'core.signal_lifecycle';
const line = (time: string, logger: string, level: string, message: string) => `2026-03-02 ${time} - ${logger} - ${level} - ${message}`;

export const BEFORE_RESTART = [
  line('12:00:00,100', LC, 'INFO', '🚀 Signal lifecycle created: PEAKAUSDT rule=[200-300] leverage=10x SL=5.0% TS act=10.0%/cb=3.0%'),
  line('12:10:00,100', LC, 'INFO', '🚀 Signal lifecycle created: PEAKBUSDT rule=[200-300] leverage=10x SL=5.0% TS act=10.0%/cb=3.0%'),
  line('12:30:00,100', LC, 'INFO', '🚀 Signal lifecycle created: LOWUSDT rule=[200-300] leverage=10x SL=5.0% TS act=10.0%/cb=3.0%'),
  line('13:00:00,200', LC, 'ERROR', 'Failed to persist lifecycle for NOLCUSDT: canceling statement due to lock timeout'),
  line('12:45:00,000', LC, 'INFO', '📈 Trailing stop ACTIVATED for PEAKAUSDT: pnl=11.00% >= 10.0% | entry=1.0, price=1.11, peak=1.11'),
  line('13:10:00,000', LC, 'INFO', '📈 Trailing stop ACTIVATED for PEAKBUSDT: pnl=10.50% >= 10.0% | entry=2.0, price=2.21, peak=2.21'),
  line('13:20:00,000', LC, 'INFO', '📈 Trailing stop ACTIVATED for EXITUSDT: pnl=10.20% >= 10.0% | entry=9.0, price=9.918, peak=9.918'),
  line('13:30:00,000', LC, 'INFO', '⏳ TS HELD PEAKAUSDT: B✅ drawdown=0.80%, C❌ delta=12 > -40, peak=1.155'),
  line('13:30:30,000', LC, 'INFO', '📍 TS CHECK PEAKBUSDT: drawdown=0.40%, pnl=15.00%, peak=2.31'),
  line('13:31:00,000', LC, 'INFO', '🔒 PROFIT LOCK PEAKAUSDT: pnl=13.00%, peak=1.155'),
  line('13:40:00,000', LC, 'INFO', '🎯 TRAILING STOP EXIT EXITUSDT: pnl_entry=7.00%, drawdown=3.10%, realized=68.00% peak=10.2, entry=9.0'),
].sort();

export const AFTER_RESTART = [
  line('15:00:00,000', 'core.position_manager', 'INFO', '🎯 Initializing trailing stops for loaded positions...'),
  line('15:00:01,000', LC, 'INFO', '♻️ Restored lifecycle PEAKAUSDT: state=in_position, trades=1, pnl=0.00%'),
  line('15:00:01,100', LC, 'INFO', '♻️ Restored lifecycle PEAKBUSDT: state=in_position, trades=1, pnl=0.00%'),
  line('15:00:01,200', LC, 'INFO', '♻️ Restored lifecycle LOWUSDT: state=in_position, trades=1, pnl=0.00%'),
  line('15:00:01,300', LC, 'INFO', '✅ Restored 3/3 lifecycles from DB'),
  line('15:20:00,000', LC, 'INFO', '📈 Trailing stop ACTIVATED for PEAKAUSDT: pnl=10.10% >= 10.0% | entry=1.0, price=1.101, peak=1.101'),
];

export function writeLifecycleLog(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ts-audit-lifecycle-logs-'));
  const file = join(dir, 'bot.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
