// The help texts of the database commands: what each is for, and examples.
export interface DbCommandHelp {
  name: 'timestamps' | 'entry-mismatch' | 'orphans' | 'recreated' | 'restore' | 'check';
  summary: string;
  description: string;
  examples: string[];
}

export const DB_COMMAND_HELP: DbCommandHelp[] = [
  {
    name: 'timestamps',
    summary: 'position opened vs stop row created, with the lag',
    description:
      'For each open position: when it opened, when its stop row was created, and the lag, in UTC and in --display-timezone. ' +
      'late-persisted (medium) when the row came more than --late-after later; many rows created in the same minute hours after ' +
      'their positions are called out (stops recreated at a restart).',
    examples: ['ts-audit timestamps --db "$DATABASE_URL" --display-timezone Asia/Dubai', 'ts-audit timestamps --late-after 10m --format json'],
  },
  {
    name: 'entry-mismatch',
    summary: "stop rows whose entry price is not their position's",
    description:
      "entry-price-mismatch (high): |row entry - position entry| > max(--entry-tolerance, --entry-tolerance-pct x position entry), " +
      "compared exactly; evidence says whether the bot's own clean-up rule (|diff| > 0.00001) would catch it.",
    examples: ['ts-audit entry-mismatch --db "$DATABASE_URL"', 'ts-audit entry-mismatch --entry-tolerance-pct 0.1% --exchange bybit'],
  },
  {
    name: 'orphans',
    summary: 'rows without an open position, stale links, unprotected positions',
    description:
      'orphaned-stop (medium): a row whose (exchange, symbol) has no open position, with how its last position ended; ' +
      "stale-position-link (medium): a row whose position_id is not the open position's; unprotected-position (high): an open position with no row.",
    examples: ['ts-audit orphans --db "$DATABASE_URL"', 'ts-audit orphans --symbol RADUSDT,STGUSDT --format json'],
  },
  {
    name: 'recreated',
    summary: 'open positions whose symbol was traded long before they were created',
    description:
      'recreated-position (info): the first order for (exchange, symbol) is earlier than the open position by more than --recreated-after; ' +
      'evidence: first order time, position created, count of earlier ended positions.',
    examples: ['ts-audit recreated --db "$DATABASE_URL"', 'ts-audit recreated --recreated-after 1d'],
  },
  {
    name: 'restore',
    summary: 'simulate a restart with the bot restore rules',
    description:
      'For every open position: restored, created-new or deleted-and-recreated, with the reason. restore-loss (high; critical with --dump when ' +
      'the stop is activated in memory) for each stop a restart would not restore; stale-restore (high) for a row that would be restored although ' +
      'it belongs to an earlier position. Summary: "1/14 restored (7%)".',
    examples: ['ts-audit restore --db "$DATABASE_URL"', 'ts-audit restore --dump /var/run/bot/stops.json --fail-on critical'],
  },
  {
    name: 'check',
    summary: 'run every database check (or the ones named) in one snapshot',
    description:
      'Runs the database checks in one read-only snapshot: side-mismatch, restore-loss, stale-restore, entry-price-mismatch, unprotected-position, ' +
      'invalid-stop-row, late-persisted, orphaned-stop, stale-position-link, recreated-position, flag-mismatch, stale-stop. ' +
      '`ts-audit explain CHECK` tells what each one means.',
    examples: ['ts-audit check --db "$DATABASE_URL"', 'ts-audit check side-mismatch invalid-stop-row --fail-on critical'],
  },
];

