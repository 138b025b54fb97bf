// What `ts-audit demo` prints around its two reports: one sentence of what is shown, then what to try
// next (and that exit 1 is expected). With --keep: where the database, the dump and the sample bot log
// are, the on-call path as commands that run as printed, and after Ctrl-C that it stopped and cleaned up.
import type { DemoRun } from '../commands/demo.js';

export const DEMO_INTRO =
  'The 2025-10-26 incident on an embedded PostgreSQL: the bot holds 14 trailing\n' +
  'stops in memory and only 1 of them is saved in the database; `diff` shows what\n' +
  'a restart would lose, `restore` what it would do.\n\n';

/** Shell-quoted for a POSIX shell, so that a printed command runs as printed. */
const sq = (text: string) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/** The closing lines of a run without --keep. */
export function demoClosing(me: string): string {
  return (
    '\nExit 1 is expected: the demo exits as `diff` does on this incident (findings at\n' +
    'or above high). Next: keep the database running, with its event journal and a\n' +
    'sample bot log, and try every command on it:\n' +
    `  ${me} demo --keep\n`
  );
}

/** What --keep prints while the database runs: where everything is, and the commands to try. */
export function demoKeepText(run: Pick<DemoRun, 'database' | 'dump' | 'log'>, me: string, logZone: string): string {
  const lines = [
    '',
    'The demo database is running until Ctrl-C:',
    `  database  ${run.database}`,
    `  dump      ${run.dump}   (the bot's 14 stops in memory)`,
    `  bot log   ${run.log}   (written at UTC+4: --log-timezone ${logZone})`,
    'Try, in the order of an incident (exit 1 means findings, as expected here):',
    `  export DATABASE_URL=${sq(run.database)}`,
    `  ${me} doctor`,
    `  ${me} diff --from-events`,
    `  ${me} rescue --dump ${sq(run.dump)} -o rescue.sql   # the dump has the peaks the journal lacks`,
    '  psql -v ON_ERROR_STOP=1 -f rescue.sql "$DATABASE_URL"   # once reviewed',
    `  ${me} restore`,
    `  ${me} logs ${sq(run.log)} --log-timezone ${logZone}`,
    `  ${me} diff --dump ${sq(run.dump)}`,
    `  ${me} diff --from-events --as-of 2025-10-26T14:00:00Z`,
    `  ${me} timeline SUIUSDT DOGUSDT`,
    `  ${me} check`,
    '',
  ];
  return lines.join('\n');
}

export const DEMO_STOPPED = 'ts-audit: demo stopped; its database and temporary files are removed.\n';
