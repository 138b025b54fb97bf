import { formatSpan } from '../duration.js';
import { durationThreshold } from '../thresholds.js';
import type { DbCheck } from './types.js';

interface Row {
  position_id: number;
  exchange: string;
  symbol: string;
  position_created_at: Date;
  first_order_at: Date;
  earlier_ended_positions: string;
}

/** What a finding carries: the first order and the position's creation, how far apart, and the earlier positions. */
type RecreatedEvidence = { firstOrderAt: Date; positionCreatedAt: Date; earlierBySeconds: number; earlierEndedPositions: number };

const recreatedPosition: DbCheck<Row, RecreatedEvidence> = {
  id: 'recreated-position',
  kind: 'database',
  problemOf: [{ cause: 'earlier-row', rank: 3 }],
  commands: ['recreated', 'check'],
  cause: 'carried-over',
  thresholds: [durationThreshold('recreatedAfter', 'recreated-position: the first order this much earlier than the position', '1h', 'recreated_after_seconds')],
  severities: ['info'],
  summary: 'The first order for the symbol is much older than the open position: the symbol was closed and reopened.',
  query: 'recreated-position',
  // One pass over every order: the longest query of a run on the server.
  sendOrder: 'last',
  columns: { position_id: true, exchange: true, symbol: true, position_created_at: true, first_order_at: true, earlier_ended_positions: true },
  failureMode:
    'The incident report found positions created days after their first orders (STGUSDT: first order 4 days earlier): the symbol had been closed and reopened, so any stop row it has may have been carried over from the earlier position.',
  repair: 'Nothing by itself; read it with `ts-audit entry-mismatch`, `ts-audit orphans` and `ts-audit timestamps` for the same symbol.',
  evaluate: (rows) =>
    rows.map((r) => {
      const earlierBy = (r.position_created_at.getTime() - r.first_order_at.getTime()) / 1000;
      const ended = Number(r.earlier_ended_positions);
      return {
        check: 'recreated-position',
        severity: 'info',
        exchange: r.exchange,
        symbol: r.symbol,
        positionId: r.position_id,
        message: `first order ${formatSpan(earlierBy)} before the open position was created; ${ended} earlier ended position${ended === 1 ? '' : 's'}`,
        evidence: { firstOrderAt: r.first_order_at, positionCreatedAt: r.position_created_at, earlierBySeconds: earlierBy, earlierEndedPositions: ended },
      };
    }),
};
export default recreatedPosition;
