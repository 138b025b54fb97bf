// The on-call path and where memory comes from: written once, shown by the top-level help, by
// diff's help and in doctor's closing lines, so that they cannot disagree.

/** A step of the on-call path: a command shown whole, what it is for, and a line under it. */
export interface OnCallStep {
  command: string;
  what?: string;
  /** A line of prose under the step. */
  more?: string;
  /** A shell command under the step, to copy as it is. */
  shell?: string;
}

export const ON_CALL_STEPS: OnCallStep[] = [
  { command: 'ts-audit doctor', what: 'the database, its tables, zone and journal' },
  {
    command: 'ts-audit diff --from-events',
    what: 'the stops memory holds that the table lacks',
    more: '(or --dump FILE, or --dump-log bot.log: ts-audit diff --help says more)',
  },
  { command: 'ts-audit rescue --from-events -o rescue.sql', what: 'the repair, as a SQL script' },
  { command: 'review rescue.sql, then apply it:', shell: 'psql -v ON_ERROR_STOP=1 -f rescue.sql "$DATABASE_URL"' },
  { command: 'ts-audit restore', what: 'would a restart now restore every stop?' },
];

/** The on-call path at 80 columns: the same in the top-level help and in doctor's closing lines. */
export const ON_CALL_PATH = [
  'On call, in this order:',
  ...ON_CALL_STEPS.flatMap((s, i) => [
    `  ${i + 1}. ${s.what ? `${s.command.padEnd(Math.max(30, s.command.length + 3))}${s.what}` : s.command}`,
    ...[s.more, s.shell].filter((l) => l !== undefined).map((l) => `     ${l}`),
  ]),
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
