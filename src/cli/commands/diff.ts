import type { Command } from 'commander';
import type { Tolerance } from '../../decimal.js';
import { MEMORY_SOURCES } from '../help.js';
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
  priceToleranceOption,
  withConfig,
  zonedTime,
} from '../options.js';
import { EXIT_HELP, runContext } from '../output.js';
import { REPORT_OUTPUT } from '../report-output.js';
import type { CommandSpec } from '../table.js';
import type { Report } from '../../report/types.js';

type DiffFlags = CommonFlags &
  MemoryFlags & { logTimezone?: string; all?: boolean; dumpedAt?: Date; dumpTimeout: number; dumpMaxBytes: number; priceTolerance: Tolerance };

export const diff: CommandSpec<Report, DiffFlags> = {
  name: 'diff',
  summary: "compare the bot's in-memory stops with the database",
  description:
    "Compare the bot's in-memory trailing stops (replayed from its event journal, a state dump, or the symbols of its log) with monitoring.trailing_stop_state: " +
    'stops only in memory (lost on the next restart), rows the bot no longer tracks, and drift in ' +
    'state, activation, side, entry, peak, stop, activation price, quantity and update count.',
  options: (cmd) => {
    cmd
      .option('--dump <source>', 'state dump: a file, - for stdin, or an http(s) URL (JSON, NDJSON or get_status())')
      .option('--dump-log <files...>', "instead of --dump: the bot's logs; the latest [TS_DEBUG] symbols in memory per exchange (symbols only)")
      .option('--log-timezone <zone>', "with --dump-log: zone of the host that wrote the logs (default: this machine's)")
      .option('--all', 'also run every database check (as `ts-audit check`) in the same snapshot')
      .addOption(fromEventsOption())
      .addOption(flushIntervalOption())
      .addOption(asOfOption())
      .option('--dumped-at <time>', 'when the dump was taken, if it does not say (ISO-8601 with a zone)', zonedTime)
      .addOption(dumpTimeoutOption())
      .addOption(dumpMaxBytesOption())
      .addOption(priceToleranceOption());
    addFilterOptions(cmd);
    addThresholdOptions(cmd, undefined, 'Settings of the database checks (only with --all):');
    addDatabaseOptions(cmd);
    addOutputOptions(cmd);
  },
  examples: [
    'ts-audit diff --from-events --db "$DATABASE_URL"',
    'ts-audit diff --dump /var/run/bot/stops.json --all --fail-on critical',
    'ts-audit diff --dump-log /var/log/bot/bot.log --log-timezone Asia/Dubai',
  ],
  after: `\n${MEMORY_SOURCES.join('\n')}\n${EXIT_HELP}`,
  run: async (given: DiffFlags, cmd: Command) => {
    memorySource(given, true);
    const { flags, config } = await withConfig(cmd, given);
    const { runDiff } = await import('../../commands/diff.js');
    const report = await runDiff(
      {
        ...auditOptions(flags, config),
        dump: flags.dump,
        dumpLog: flags.dumpLog,
        logTimezone: flags.dumpLog ? checkZone(flags.logTimezone ?? localZone(), '--log-timezone') : undefined,
        dumpTimeoutMs: flags.dumpTimeout,
        dumpMaxBytes: flags.dumpMaxBytes,
        dumpedAt: flags.dumpedAt,
        priceTolerance: flags.priceTolerance,
        all: flags.all,
        fromEvents: flags.fromEvents,
        flushMs: flags.flushInterval,
      },
      runContext(flags),
    );
    return { result: report, flags };
  },
  ...REPORT_OUTPUT,
};
