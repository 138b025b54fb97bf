import { formatSpan } from '../duration.js';
import { durationThreshold } from '../thresholds.js';
import type { DbCheck } from './types.js';

const num = (s: string | null) => (s === null ? null : Number(s));

interface StaleRow {
  stop_id: string;
  exchange: string;
  symbol: string;
  stop_position_id: string | null;
  last_update_time: Date;
  reference_time: Date;
  stale_seconds: string;
}

/** What a finding carries: the row's last update, the bot's latest write to the table, and the age between. */
type StaleStopEvidence = { lastUpdateTime: Date; latestStopWrite: Date; staleSeconds: number };

const staleStop: DbCheck<StaleRow, StaleStopEvidence> = {
  id: 'stale-stop',
  kind: 'database',
  asOf: false,
  problemOf: [{ cause: 'row-behind', rank: 2 }],
  commands: ['check'],
  thresholds: [
    durationThreshold('staleAfter', "stale-stop: an active stop this much older than the bot's latest write to the table", '6h', 'stale_after_seconds'),
  ],
  severities: ['low'],
  summary: 'An active stop whose row has not been updated for a long time.',
  query: 'stale-stop',
  columns: { stop_id: true, exchange: true, symbol: true, stop_position_id: true, last_update_time: true, reference_time: true, stale_seconds: true },
  failureMode:
    "Only active stops persist peaks, and saves are rate-limited; an active row hours older than the bot's latest write to the table suggests its saves are failing and memory's peak is ahead of it. Age is measured against that latest write, so a restored backup is judged as of its own last activity.",
  repair: 'Compare with memory (`ts-audit diff`); look for save failures in the logs.',
  evaluate: (rows) =>
    rows.map((r) => ({
      check: 'stale-stop',
      severity: 'low',
      exchange: r.exchange,
      symbol: r.symbol,
      positionId: num(r.stop_position_id),
      message: `active stop last updated ${formatSpan(Number(r.stale_seconds))} before the latest stop write`,
      evidence: { lastUpdateTime: r.last_update_time, latestStopWrite: r.reference_time, staleSeconds: Math.round(Number(r.stale_seconds)) },
    })),
};
export default staleStop;
