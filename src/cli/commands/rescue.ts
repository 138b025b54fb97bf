import { type Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import {
  type CommonFlags,
  type MemoryFlags,
  addDatabaseOptions,
  addFilterOptions,
  addLogOptions,
  auditOptions,
  dumpMaxBytesOption,
  dumpTimeoutOption,
  flushIntervalOption,
  fromEventsOption,
  memorySource,
  withConfig,
} from '../options.js';
import { json, runContext } from '../output.js';
import type { CommandSpec } from '../table.js';
import type { RescueOptions, RescuePlan } from '../../commands/rescue.js';
import { visible } from '../../report/escape.js';
import { plural } from '../../words.js';

type RescueFlags = CommonFlags & MemoryFlags & { deleteStale?: boolean; dumpTimeout: number; dumpMaxBytes: number };

/** The plan, and the table its script writes to. */
interface Rescue {
  plan: RescuePlan;
  table: Pick<RescueOptions, 'schema' | 'tables'>;
}

export const rescue: CommandSpec<Rescue, RescueFlags> = {
  name: 'rescue',
  summary: 'write the guarded SQL that makes a restart restore every stop memory holds (ts-audit applies nothing)',
  description:
    'Reads one snapshot and the memory side (--dump or --from-events) and writes a SQL script for a person to review and ' +
    'apply with psql: it inserts the rows memory holds and the table lacks, brings rows that lag memory up to it, corrects ' +
    "a row's side and case to its open position's when memory agrees, and with --delete-stale deletes rows a restart would " +
    'wrongly restore or that belong to no open position. One transaction with lock and statement timeouts; every statement ' +
    'applies only to the row as ts-audit read it; a closing check rolls everything back when the outcome differs from the ' +
    'prediction. ts-audit never writes to the database.',
  options: (cmd) => {
    cmd
      .option('--dump <source>', 'state dump: a file, - for stdin, or an http(s) URL')
      .addOption(fromEventsOption())
      .addOption(flushIntervalOption())
      .option('--delete-stale', 'also delete rows of earlier positions and rows of no open position')
      .addOption(new Option('--format <format>', 'sql (the script) or json (the planned statements as data)').choices(['sql', 'json']).default('sql'))
      .option('-o, --output <file>', 'write the script to a file instead of stdout')
      .addOption(dumpTimeoutOption())
      .addOption(dumpMaxBytesOption());
    addLogOptions(cmd);
    addFilterOptions(cmd);
    addDatabaseOptions(cmd);
  },
  examples: ['ts-audit rescue --from-events -o rescue.sql', 'ts-audit rescue --dump stops.json --delete-stale -o rescue.sql'],
  after:
    '\nThen review rescue.sql, apply it, and run ts-audit restore: every open position\nshould get its stop back.\n  $ psql -v ON_ERROR_STOP=1 -f rescue.sql "$DATABASE_URL"\n' +
    '\nExit codes:\n  0  the script was written whole (it may hold no statement)\n  2  usage, configuration or dump error, or the script could not be written\n     whole (a full disk, a closed pipe)\n  3  database error\n  4  internal error',
  run: async (given: RescueFlags, cmd: Command) => {
    memorySource(given, true);
    if (given.dumpLog) throw new UsageError('rescue needs the fields of each stop: give --dump or --from-events (log lines hold symbols only)');
    const { flags, config } = await withConfig(cmd, given);
    const { planRescue } = await import('../../commands/rescue.js');
    const options = {
      ...auditOptions(flags, config),
      dump: flags.dump,
      fromEvents: flags.fromEvents,
      flushMs: flags.flushInterval,
      dumpTimeoutMs: flags.dumpTimeout,
      dumpMaxBytes: flags.dumpMaxBytes,
      deleteStale: Boolean(flags.deleteStale),
    };
    return { result: { plan: await planRescue(options, runContext(flags)), table: options }, flags };
  },
  // The script is the output; what it cannot write is said on stderr, before it.
  warnings: ({ plan }) => plan.leftOut.map((l) => `left out ${visible(`${l.exchange}/${l.symbol}: ${l.reason}`)}`),
  render: {
    json: ({ plan }) => json(plan),
    sql: async ({ plan, table }) => (await import('../../commands/rescue.js')).renderRescueSql(plan, table),
  },
  output: { what: 'rescue script', said: ({ plan }) => `rescue script (${plural(plan.statements.length, 'statement')})` },
};
