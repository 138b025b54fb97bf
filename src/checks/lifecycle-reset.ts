// The current bot's exit peak and activation latch, which a restart resets (the judgement is in
// src/lifecycles/judge.ts; the evidence comes from queries/lifecycle-positions.sql).
import { type LifecyclePositionRow, judgeLifecycle, memoryLifecycle, LIFECYCLE_POSITION_COLUMNS } from '../lifecycles/judge.js';
import type { Decimal } from '../decimal.js';
import type { LifecycleJudgement } from '../lifecycles/judge.js';
import type { DbCheck, FindingOf } from './types.js';
import { restartLosesText } from '../words.js';

const text = (d: { toString(): string } | undefined) => d?.toString() ?? '?';

/**
 * What a finding carries: the judgement (verdict, what a restart does), the row's and the real peak
 * and latch with the sources of each, the exits from both peaks, and what a restart loses.
 */
type LifecycleResetEvidence = {
  reason: LifecycleJudgement['verdict'];
  onRestart: string;
  entryPrice: Decimal | null;
  activationPrice: Decimal | null;
  baseActivation: string | null;
  baseCallback: string | null;
  rowMaxPrice: Decimal | null;
  rowTsActivated: boolean | null;
  peak: Decimal | null;
  peakSource: string | null;
  peakAt: Date | null;
  exitFromPeak: Decimal | null;
  exitFromRow: Decimal | null;
  armedBy: string[];
  journalPeak: string | null;
  journalTicks: number;
  stopRowActivated: boolean;
  stopRowPeak: string | null;
  positionTrailingActivated: boolean | null;
  lifecycleUpdatedAt: Date | null;
  memory: { source: string; maxPrice: Decimal | null; tsActivated: boolean | null } | null;
  restartLoses: Record<string, string> | undefined;
};

const lifecycleReset: DbCheck<LifecyclePositionRow, LifecycleResetEvidence> = {
  id: 'lifecycle-reset',
  kind: 'database',
  commands: ['restore', 'diff', 'check'],
  asOf: false,
  severities: ['critical', 'high', 'info'],
  severityText:
    "critical when the position has reached activation and the row says ts_activated = false (a restart disarms an armed exit); high when activated and the peak since the open is above the row's max_price (the drawdown is measured from the wrong peak); info when the lost peak is below activation (no exit changes)",
  summary: "An open position's signal lifecycle whose exit peak or activation latch a restart would reset to the values of the open.",
  query: 'lifecycle-positions',
  // A row per open position, judged in exact decimals: the longest judging of a run.
  sendOrder: 'first',
  columns: LIFECYCLE_POSITION_COLUMNS,
  byRow: true,
  failureMode:
    "The current bot exits a position when the price falls base_callback % below its lifecycle's peak (max_price), once the latch ts_activated was set by a profit of base_activation %. Both are held in memory only: the lifecycle's row is written at the open (max_price = entry price, ts_activated = false) and not again while the position stays open. A restart rebuilds the lifecycle from the row, so an activated position that peaked and began to fall is held instead of exited; the bot re-arms only when the price reaches activation again, with that price as the new peak.",
  repair:
    "Before restarting, write the lifecycle's real values into its row (max_price = the peak since the open, ts_activated = true), with the bot's lifecycle manager stopped, or accept the reset knowingly and watch those positions after the restart. For good: make the bot persist max_price and ts_activated when they change (the activation, and peak moves while activated).",
  notRescued:
    "rescue writes stop rows only; a lifecycle row is repaired by hand, with the peak since the open from the evidence (the bot's own memory holds the exact trade-price peak)",
  evaluate: (rows, ctx) => {
    // A loop, not a flatMap: no array per row of the thousands a run judges.
    const found: FindingOf<LifecycleResetEvidence>[] = [];
    for (const r of rows) {
      if (r.lifecycle_id === null || r.lifecycle_state !== 'in_position') continue;
      const j = judgeLifecycle(r, memoryLifecycle(ctx.lifecycles, r.exchange, r.symbol));
      if (!j.severity) continue;
      const peaks = `peak since the open ${text(j.peak)}${j.peakSource ? ` (${j.peakSource})` : ''} against the row's max_price ${text(j.rowPeak)}`;
      const exits = j.peakExit && j.rowExit ? `; the exit would be at ${text(j.peakExit)} from the real peak, at ${text(j.rowExit)} from the row's` : '';
      const message =
        j.verdict === 'latch-reset'
          ? `a restart disarms an armed exit: ${j.armedBy.join('; ')}, but the lifecycle row says ts_activated = false; ${peaks}${exits}`
          : j.verdict === 'peak-reset'
            ? `a restart measures the drawdown from the wrong peak: ${peaks}${exits}`
            : `a restart loses a peak below activation (${text(j.activationPrice)}): ${peaks}; no exit changes`;
      found.push({
        check: 'lifecycle-reset',
        severity: j.severity,
        exchange: r.exchange,
        symbol: r.symbol,
        positionId: r.position_id,
        message,
        evidence: {
          reason: j.verdict,
          onRestart: j.outcome,
          entryPrice: j.entry ?? null,
          activationPrice: j.activationPrice ?? null,
          baseActivation: r.base_activation,
          baseCallback: r.base_callback,
          rowMaxPrice: j.rowPeak ?? null,
          rowTsActivated: r.ts_activated,
          peak: j.peak ?? null,
          peakSource: j.peakSource ?? null,
          peakAt: j.memory ? null : r.journal_peak_at,
          exitFromPeak: j.peakExit ?? null,
          exitFromRow: j.rowExit ?? null,
          armedBy: j.armedBy,
          journalPeak: r.journal_peak,
          journalTicks: Number(r.journal_ticks),
          stopRowActivated: r.stop_activated,
          stopRowPeak: r.stop_peak,
          positionTrailingActivated: r.position_trailing_activated,
          lifecycleUpdatedAt: r.lifecycle_updated_at,
          memory: j.memory ? { source: j.memory.source, maxPrice: j.memory.maxPrice ?? null, tsActivated: j.memory.tsActivated ?? null } : null,
          restartLoses:
            j.severity === 'info'
              ? undefined
              : j.verdict === 'latch-reset'
                ? { 'exit peak': `${text(j.peak)} -> ${text(j.rowPeak)}`, latch: 'armed -> disarmed' }
                : { 'exit peak': `${text(j.peak)} -> ${text(j.rowPeak)}` },
        },
      });
    }
    return found;
  },
  details: (e) => (e.restartLoses ? [restartLosesText(e.restartLoses)] : []),
};
export default lifecycleReset;
