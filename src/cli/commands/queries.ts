import { type Command, Option } from 'commander';
import {
  type CommonFlags,
  addDatabaseOptions,
  addFilterOptions,
  addLogOptions,
  addThresholdOptions,
  auditOptions,
  widthOption,
  withConfig,
} from '../options.js';
import { json, runContext } from '../output.js';
import type { CommandSpec } from '../table.js';
import type { QueryListing, ShownQuery } from '../../report/types.js';

export const queries: CommandSpec<QueryListing | ShownQuery, CommonFlags & { show?: string }> = {
  name: 'queries',
  summary: 'list the SQL ts-audit runs, or show one query as it runs',
  description:
    'Lists every query file with its purpose. --show NAME prints one exactly as it runs, with its bound parameters; give --db (or DATABASE_URL) so that naive timestamp columns are read from that database.',
  options: (cmd) => {
    cmd
      .option('--show <name>', 'print this query as it runs')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
      .addOption(widthOption());
    addFilterOptions(cmd);
    addThresholdOptions(cmd);
    addDatabaseOptions(cmd);
    addLogOptions(cmd, 'like --verbose, with stack traces');
  },
  examples: ['ts-audit queries', 'ts-audit queries --show open-stops --db "$DATABASE_URL"'],
  after:
    '\nExit codes:\n' +
    '  0  the list or the query was printed\n  2  usage error (an unknown query name included)\n  3  database error (--show with a database)\n  4  internal error',
  run: async (given: CommonFlags & { show?: string }, cmd: Command) => {
    const { flags, config } = await withConfig(cmd, given);
    const mod = await import('../../commands/queries.js');
    if (!flags.show) return { result: mod.listQueries(), flags };
    // With a database given (the one precedence of db/target.ts), the query is shown as it runs there.
    const { chooseTarget } = await import('../../db/target.js');
    const useDatabase = chooseTarget({ db: flags.db, dbOrigin: flags.dbFrom }, process.env) !== undefined;
    return { result: await mod.showQuery(flags.show, auditOptions(flags, config), runContext(flags), useDatabase), flags };
  },
  render: {
    json,
    table: async (shown, how) => {
      const text = await import('../../report/text.js');
      return 'queries' in shown ? text.renderQueryList(shown, how.width) : text.renderShownQuery(shown);
    },
  },
};
