import { type Command, Option } from 'commander';
import { type CommonFlags, addDatabaseOptions, addLogOptions, auditOptions, list, widthOption, withConfig, zonedTime } from '../options.js';
import { runContext } from '../output.js';
import type { CommandSpec } from '../table.js';
import type { Timeline } from '../../report/types.js';

export const timeline: CommandSpec<Timeline, CommonFlags & { until?: Date }> = {
  name: 'timeline',
  summary: "each symbol's history in time order: positions, orders, the stop row, the journal's events, restarts",
  description:
    'Per (exchange, symbol): every position of the symbol opened and closed, its first and last order, its stop row created, activated ' +
    "and last updated, every trailing-stop event of the bot's journal (monitoring.events) with its payload in short, the restarts, and " +
    'the lags between them (a stop created in memory hours before its row). Without symbols, those of the open positions.',
  arguments: [['[symbols...]', "symbols to show (any case; default: the open positions' symbols)"]],
  options: (cmd) => {
    cmd
      .option('--exchange <names>', 'only these exchanges (repeatable or comma-separated)', list, [])
      .option('--since <time>', 'only what happened at or after this time (ISO-8601 with a zone)', zonedTime)
      .option('--until <time>', 'only what happened at or before this time (ISO-8601 with a zone)', zonedTime)
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
      .addOption(widthOption())
      .option('-o, --output <file>', 'write the timeline to a file instead of stdout');
    addLogOptions(cmd);
    addDatabaseOptions(cmd);
  },
  examples: ['ts-audit timeline RADUSDT --db "$DATABASE_URL"', 'ts-audit timeline --since 2025-10-26T00:00:00Z --format markdown -o tl.md'],
  after: `\nExit codes:\n  0  the timeline was printed\n  2  usage error (a symbol or exchange that matches nothing included)\n  3  database error\n  4  internal error`,
  run: async (symbols: string[], given: CommonFlags & { until?: Date }, cmd: Command) => {
    const { flags, config } = await withConfig(cmd, { ...given, symbol: symbols.flatMap((s) => s.split(',')).filter(Boolean) });
    const { runTimeline } = await import('../../commands/timeline.js');
    const result = await runTimeline({ ...auditOptions(flags, config), since: undefined, from: flags.since, until: flags.until }, runContext(flags));
    return { result, flags };
  },
  render: {
    json: async (t) => (await import('../../report/timeline.js')).renderTimelineJson(t),
    markdown: async (t) => (await import('../../report/timeline.js')).renderTimelineMarkdown(t),
    table: async (t, how) => (await import('../../report/timeline.js')).renderTimelineText(t, how.width),
  },
  output: { what: 'timeline' },
};
