import { type Command, Option } from 'commander';
import {
  type CommonFlags,
  type MemoryFlags,
  addDatabaseOptions,
  addFilterOptions,
  addLogOptions,
  addThresholdOptions,
  asOfOption,
  auditOptions,
  checkZone,
  diffMemory,
  dumpMaxBytesOption,
  dumpTimeoutOption,
  failOnOption,
  flushIntervalOption,
  fromEventsOption,
  localZone,
  memorySource,
  priceToleranceOption,
  withConfig,
} from '../options.js';
import { EXIT_HELP, exitCodeFor, runContext } from '../output.js';
import type { CommandSpec } from '../table.js';
import type { IncidentReport } from '../../report/types.js';

type ReportFlags = CommonFlags &
  MemoryFlags & { log?: string[]; logTimezone?: string; title: string; displayTimezone?: string; appendix?: boolean; dumpTimeout: number };

export const report: CommandSpec<IncidentReport, ReportFlags> = {
  name: 'report',
  summary: 'a Markdown incident report: diff, every check, the restart simulation and the logs, from one snapshot',
  description:
    'Writes the incident report in Markdown from one snapshot: diff (with --dump), every database check, the restart simulation and, ' +
    'with --log, the log forensics. It holds an executive summary, suspected causes with their evidence, recommended actions, ' +
    'evidence tables (timestamps with the lag, entry-price mismatches, orphans, restore outcomes), a Mermaid gantt timeline per ' +
    'symbol, and an appendix with every query, its parameters and the snapshot time.',
  options: (cmd) => {
    cmd
      .option('--dump <source>', 'a state dump, to include the diff of memory against the database')
      .addOption(fromEventsOption())
      .addOption(flushIntervalOption())
      .addOption(asOfOption())
      .option('--log <files...>', "the bot's logs, to include the log forensics")
      .option('--log-timezone <zone>', "zone of the host that wrote the logs (default: this machine's)")
      .option('--title <title>', 'the report title', 'Trailing-stop incident report')
      .option('--display-timezone <zone>', "show times in UTC and in this zone (default: this machine's)")
      .option('--appendix', 'add every query the report ran, with its parameters and SQL (most of its length)')
      .addOption(dumpTimeoutOption())
      .addOption(dumpMaxBytesOption())
      .addOption(priceToleranceOption())
      .addOption(new Option('--format <format>', 'markdown (the incident report) or json (the same as data)').choices(['markdown', 'json']).default('markdown'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout')
      .addOption(failOnOption())
      .option('--baseline <file>', 'suppress the findings recorded in this baseline (they are counted as suppressed)')
      .option('--color', 'accepted for symmetry: the report is Markdown or JSON, never coloured')
      .option('--no-color', 'accepted for symmetry: the report is never coloured');
    addLogOptions(cmd);
    addFilterOptions(cmd);
    addThresholdOptions(cmd);
    addDatabaseOptions(cmd);
  },
  examples: [
    'ts-audit report --from-events --log /var/log/bot/bot.log* -o incident.md',
    `ts-audit report --dump stops.json --title 'TS restoration' -o incident.md`,
  ],
  after: EXIT_HELP,
  run: async (given: ReportFlags, cmd: Command) => {
    memorySource(given, false);
    const { flags, config } = await withConfig(cmd, given);
    const { runIncidentReport } = await import('../../commands/report.js');
    const incident = await runIncidentReport(
      {
        ...auditOptions(flags, config),
        title: flags.title,
        displayTimezone: checkZone(flags.displayTimezone ?? localZone()),
        diff: diffMemory(flags),
        logs: flags.log ? { files: flags.log, logTimezone: checkZone(flags.logTimezone ?? localZone(), '--log-timezone') } : undefined,
      },
      runContext(flags),
    );
    return { result: incident, flags };
  },
  render: {
    json: async (incident) => (await import('../../report/incident.js')).renderIncidentJson(incident),
    markdown: async (incident, how) => (await import('../../report/incident.js')).renderIncident(incident, { appendix: how.flags.appendix }),
  },
  exitCode: (incident, flags) => exitCodeFor(incident.findings, flags.failOn),
  output: { what: 'report', said: () => 'incident report' },
};
