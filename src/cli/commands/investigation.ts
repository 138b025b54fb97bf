// The investigation commands (timestamps, entry-mismatch, orphans, recreated, restore, check): one
// declaration from their help texts (cli/help.ts), each a set of checks over one snapshot.
import type { Command } from 'commander';
import { checksOfCommand } from '../../checks/index.js';
import { DB_COMMAND_HELP } from '../help.js';
import {
  type CommonFlags,
  type MemoryFlags,
  addDatabaseOptions,
  addFilterOptions,
  addOutputOptions,
  addThresholdOptions,
  asOfOption,
  auditOptions,
  checkZone,
  dumpMaxBytesOption,
  dumpTimeoutOption,
  flushIntervalOption,
  fromEventsOption,
  localZone,
  memorySource,
  withConfig,
} from '../options.js';
import { EXIT_HELP, runContext } from '../output.js';
import { REPORT_OUTPUT } from '../report-output.js';
import type { CommandSpec } from '../table.js';
import type { Report } from '../../report/types.js';

type DbFlags = CommonFlags & MemoryFlags & { dumpTimeout?: number; dumpMaxBytes?: number; displayTimezone?: string };

export const investigation: CommandSpec<Report, DbFlags>[] = DB_COMMAND_HELP.map((spec) => ({
  name: spec.name,
  summary: spec.summary,
  description: spec.description,
  arguments: spec.name === 'check' ? [['[checks...]', 'checks to run (default: every database check)']] : [],
  options: (cmd: Command) => {
    if (spec.name === 'restore') {
      cmd
        .option('--dump <source>', 'a state dump: stops activated in memory that a restart would lose are critical')
        .addOption(fromEventsOption())
        .addOption(flushIntervalOption())
        .addOption(dumpTimeoutOption())
        .addOption(dumpMaxBytesOption());
    }
    cmd.addOption(asOfOption());
    if (spec.name === 'timestamps') cmd.option('--display-timezone <zone>', "also show times in this zone (default: this machine's zone)");
    addFilterOptions(cmd);
    // Only the settings of the checks this command runs (restore with a dump adds none of its own).
    addThresholdOptions(cmd, checksOfCommand(spec.name));
    addDatabaseOptions(cmd);
    addOutputOptions(cmd);
  },
  examples: spec.examples,
  after: EXIT_HELP,
  run: async (...args: unknown[]) => {
    const { flags, config } = await withConfig(args[args.length - 1] as Command, args[args.length - 2] as DbFlags);
    memorySource(flags, false);
    const names = spec.name === 'check' ? (args[0] as string[]).flatMap((n) => n.split(',')).filter(Boolean) : [];
    const displayTimezone = spec.name === 'timestamps' ? checkZone(flags.displayTimezone ?? localZone()) : undefined;
    const { runDbCommand } = await import('../../commands/db-commands.js');
    const report = await runDbCommand(
      spec.name,
      {
        ...auditOptions(flags, config),
        checks: names,
        dump: flags.dump,
        fromEvents: flags.fromEvents,
        flushMs: flags.flushInterval,
        dumpTimeoutMs: flags.dumpTimeout,
        dumpMaxBytes: flags.dumpMaxBytes,
        displayTimezone,
      },
      runContext(flags),
    );
    return { result: report, flags };
  },
  ...REPORT_OUTPUT,
}));
