// The on-call path and where memory comes from: written once, shown by the top-level help, by
// diff's help and in doctor's closing lines, so that they cannot disagree.

/** The on-call path: the same in the top-level help and in doctor's closing lines. */
export const ON_CALL_PATH = [
  'On call, in this order:',
  '  1. ts-audit doctor               the database, its tables, zone and journal',
  '  2. ts-audit diff --from-events   the stops memory holds that the table lacks',
  '     (or --dump FILE, or --dump-log bot.log: ts-audit diff --help says more)',
  '  3. ts-audit rescue --from-events -o rescue.sql   the repair, as a SQL script',
  '  4. review rescue.sql, then apply it:',
  '     psql -v ON_ERROR_STOP=1 -f rescue.sql "$DATABASE_URL"',
  '  5. ts-audit restore              would a restart now restore every stop?',
];

/** Where the memory side comes from: the bot serves no endpoint with its stops. */
export const MEMORY_SOURCES = [
  'Memory (what the bot holds) comes from one of:',
  '  --from-events     the event journal the bot writes (monitoring.events)',
  '  --dump-log FILES  the [TS_DEBUG] lines of its log (symbols only)',
  '  --dump FILE       a state dump written by a small hook in the bot, as JSON',
  "                    of its managers' get_status() or in ts-audit's own format",
  '                    (src/schemas/dump-v1.schema.json); - reads standard input',
];
