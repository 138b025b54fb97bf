import type { Command } from 'commander';
import { LOG_CHECKS } from '../../checks/index.js';
import { type CommonFlags, addOutputOptions, auditOptions, checkZone, localZone, withConfig } from '../options.js';
import { EXIT_HELP, runContext } from '../output.js';
import { REPORT_OUTPUT } from '../report-output.js';
import type { CommandSpec } from '../table.js';
import type { Report } from '../../report/types.js';

export const logs: CommandSpec<Report, CommonFlags & { logTimezone?: string }> = {
  name: 'logs',
  summary: "the bot's logs: restarts, stops restored or lost, save failures",
  description:
    "Reads the bot's logs (plain or .gz, rotated files put in the order they were written, multi-line records folded). " +
    'For each restart ("Initializing trailing stops for loaded positions"): stops restored, created new, failed, timed out and ' +
    `deleted. Save failures by symbol and time. Findings: ${LOG_CHECKS.map((c) => c.id).join(', ')}. Streamed: memory ` +
    'stays bounded whatever the size of the logs.',
  arguments: [['<files...>', 'log files, e.g. bot.log bot.log.1 bot.log.2.gz']],
  options: (cmd) => {
    cmd.option('--log-timezone <zone>', "zone of the host that wrote the logs, whose times carry none (default: this machine's)");
    addOutputOptions(cmd);
  },
  examples: ['ts-audit logs /var/log/bot/bot.log* --log-timezone Asia/Dubai', 'ts-audit logs bot.log.2.gz bot.log.1 bot.log --format markdown -o logs.md'],
  after: EXIT_HELP,
  run: async (files: string[], given: CommonFlags & { logTimezone?: string }, cmd: Command) => {
    const { flags, config } = await withConfig(cmd, given);
    const { runLogs } = await import('../../commands/logs.js');
    const { disabled, severity, suppress } = auditOptions(flags, config);
    const report = await runLogs(
      { files, logTimezone: checkZone(flags.logTimezone ?? localZone(), '--log-timezone'), disabled, severity, suppress },
      runContext(flags),
    );
    return { result: report, flags };
  },
  ...REPORT_OUTPUT,
};
