import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/journal-loss.js';
import { analyzeLogs } from '../../../src/logs/analyze.js';
import type { LogRecord } from '../../../src/logs/parse.js';

const record = (at: string, level: string, message: string): LogRecord => ({
  local: at,
  at: new Date(`${at}Z`),
  logger: 'core.event_logger',
  level,
  message,
  file: 'bot.log',
  line: 1,
});
async function* records(list: LogRecord[]) {
  yield* list;
}

describe('journal-loss', () => {
  it('reports a logger that never started (high) and dropped batches, merged while they follow each other (medium)', async () => {
    const analysis = await analyzeLogs(
      ['bot.log'],
      records([
        record('2026-03-01T14:05:00', 'ERROR', "EventLogger initialization failed: 'NoneType' object has no attribute 'acquire'"),
        record('2026-03-01T12:30:05', 'ERROR', 'EventLogger batch write failed (1 events): connection reset by peer'),
        record('2026-03-01T12:31:05', 'ERROR', 'EventLogger batch write failed (3 events): connection reset by peer'),
        record('2026-03-01T13:30:00', 'ERROR', 'EventLogger batch write failed (2 events): timeout'),
      ]),
    );
    const findings = check.evaluate(analysis);
    expect(findings.map((f) => `${f.severity} ${f.message}`)).toEqual([
      'high the EventLogger failed to start at 2026-03-01 14:05:00 UTC: the session that started then has no journal, so --from-events cannot know its memory (a replay reads the previous session instead)',
      'medium the EventLogger dropped 4 events between 2026-03-01 12:30:05 UTC and 2026-03-01 12:31:05 UTC (2 failed batch writes): a replay of the journal over that span is incomplete',
      'medium the EventLogger dropped 2 events at 2026-03-01 13:30:00 UTC (1 failed batch write): a replay of the journal over that span is incomplete',
    ]);
    expect(new Set(findings.map((f) => f.evidence.reason)).size).toBe(3);
  });

  it('says nothing of a journal that lost nothing', async () => {
    const analysis = await analyzeLogs(['bot.log'], records([record('2026-03-01T12:00:00', 'INFO', 'Event queue full, logging directly')]));
    expect(check.evaluate(analysis)).toEqual([]);
  });
});
