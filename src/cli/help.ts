// The help texts of the database commands: what each is for, its checks (from the registry, so a new
// check shows up here by itself), and examples.
import { type Command, Help } from 'commander';
import { DB_CHECKS, checksOfCommand } from '../checks/index.js';
import type { DbCommand } from '../commands/db-commands.js';
import { optionFlag } from '../thresholds.js';
export { MEMORY_SOURCES, ON_CALL_PATH } from '../oncall.js';

export interface DbCommandHelp {
  name: DbCommand;
  summary: string;
  description: string;
  examples: string[];
}

const INTRO: { name: DbCommand; summary: string; intro: string; examples: string[] }[] = [
  {
    name: 'timestamps',
    summary: 'position opened vs stop row created, with the lag',
    intro:
      'For each open position: when it opened, when its stop row was created, and the lag, in UTC and in --display-timezone. ' +
      'Many rows created in the same minute hours after their positions are called out (stops recreated at a restart).',
    examples: ['ts-audit timestamps --db "$DATABASE_URL" --display-timezone Asia/Dubai', 'ts-audit timestamps --late-after 10m --format json'],
  },
  {
    name: 'entry-mismatch',
    summary: "stop rows whose entry price is not their position's",
    intro:
      "Rows whose entry differs from their open position's by more than max(--entry-tolerance, --entry-tolerance-pct x position entry), " +
      "compared exactly; the evidence says whether the bot's own clean-up rule (|diff| > 0.00001) would catch it.",
    examples: ['ts-audit entry-mismatch --db "$DATABASE_URL"', 'ts-audit entry-mismatch --entry-tolerance-pct 0.1% --exchange bybit'],
  },
  {
    name: 'orphans',
    summary: 'rows without an open position, stale links, unprotected positions',
    intro: 'Rows and open positions that do not belong together.',
    examples: ['ts-audit orphans --db "$DATABASE_URL"', 'ts-audit orphans --symbol RADUSDT,STGUSDT --format json'],
  },
  {
    name: 'recreated',
    summary: 'open positions whose symbol was traded long before they were created',
    intro: 'Open positions whose symbol has orders much older than the position: it was closed and reopened.',
    examples: ['ts-audit recreated --db "$DATABASE_URL"', 'ts-audit recreated --recreated-after 1d'],
  },
  {
    name: 'restore',
    summary: 'simulate a restart with the bot restore rules',
    intro:
      'For every open position: restored, created-new or deleted-and-recreated, with the reason; with --dump, a stop activated in memory ' +
      'that a restart would lose is critical. The Restart line: "1/14 open positions would get their stop back (7%)".',
    examples: ['ts-audit restore --db "$DATABASE_URL"', 'ts-audit restore --dump /var/run/bot/stops.json --fail-on critical'],
  },
  {
    name: 'check',
    summary: 'run every database check (or the ones named) in one snapshot',
    intro: 'Runs the database checks in one read-only snapshot; `ts-audit explain CHECK` tells what each one means.',
    examples: ['ts-audit check --db "$DATABASE_URL"', `ts-audit check ${criticalChecks()} --fail-on critical`],
  },
];

export const DB_COMMAND_HELP: DbCommandHelp[] = INTRO.map(({ name, summary, intro, examples }) => ({
  name,
  summary,
  examples,
  description: `${intro}\n\nChecks (\`ts-audit explain ID\` for each):\n${checksOfCommand(name)
    .map((c) => {
      const settings = (c.thresholds ?? []).map((t) => optionFlag(t.name)).join(', ');
      return `  ${c.id.padEnd(22)} ${c.severities.join('/')}${settings ? `; ${settings}` : ''}`;
    })
    .join('\n')}`,
}));

/** For the example: the database checks that can report critical, comma-separated. */
function criticalChecks(): string {
  return DB_CHECKS.filter((c) => c.severities.includes('critical'))
    .map((c) => c.id)
    .join(',');
}

/** Each command's examples, shown after its description and before its options. */
const EXAMPLES = new WeakMap<Command, string[]>();

/** Sets a command's examples (each a command line, without the `$ `). */
export function withExamples<C extends Command>(cmd: C, examples: string[]): C {
  EXAMPLES.set(cmd, examples);
  return cmd;
}

/** The examples of a command, as its help shows them. */
export const examplesOf = (cmd: Command): string[] => EXAMPLES.get(cmd) ?? [];

/**
 * Commander's help, with the command's examples where a reader looks first: after the usage line and
 * the description, before the arguments and options. The top level opens with its own example.
 */
export function formatHelp(cmd: Command, helper: Help): string {
  const text = Help.prototype.formatHelp.call(helper, cmd, helper);
  if (!cmd.parent) return `${TOP_EXAMPLE}\n\n${text}`;
  const examples = examplesOf(cmd);
  if (examples.length === 0) return text;
  const headings = new Set(['Arguments:', 'Options:', ...cmd.options.map((o) => o.helpGroupHeading).filter((h): h is string => Boolean(h))]);
  const lines = text.split('\n');
  const at = lines.findIndex((l, i) => i > 0 && headings.has(l));
  const block = ['Examples:', ...examples.map((e) => `  $ ${e}`), ''];
  if (at < 0) return `${text}\n${block.join('\n')}`;
  lines.splice(at, 0, ...block);
  return lines.join('\n');
}

/** The top-level help's opening: the incident in two commands. */
const TOP_EXAMPLE = [
  'Example: what memory holds that the database lacks, and the SQL to repair it',
  '  $ ts-audit diff --from-events --db "$DATABASE_URL"',
  '  $ ts-audit rescue --from-events --db "$DATABASE_URL" -o rescue.sql',
].join('\n');

/** The commands of the top-level help, grouped by task, in this order. */
export const COMMAND_GROUPS: [string, string[]][] = [
  ['Incident:', ['diff', 'restore', 'report']],
  ['Investigation:', ['check', 'timestamps', 'orphans', 'entry-mismatch', 'recreated', 'timeline', 'logs', 'explain', 'queries']],
  ['Repair:', ['rescue']],
  ['CI and monitoring:', ['watch']],
  ['Setup:', ['doctor', 'demo', 'completion', 'help']],
];
