import { Option } from 'commander';
import { CHECKS } from '../../checks/index.js';
import { widthOption } from '../options.js';
import { json } from '../output.js';
import type { CommandSpec } from '../table.js';
import type { ExplainResult, listChecks } from '../../commands/explain.js';

export const explain: CommandSpec<ExplainResult | ReturnType<typeof listChecks>, { format: string; width?: number }> = {
  name: 'explain',
  summary: 'what a check means, the failure mode behind it, its query and the repair',
  description: 'Explains one check; without a name, lists every check with its severities.',
  arguments: [['[check]', 'a check id (`ts-audit explain` lists them)']],
  options: (cmd) => {
    cmd.addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table')).addOption(widthOption());
  },
  examples: ['ts-audit explain', `ts-audit explain ${CHECKS[0]?.id ?? ''}`],
  after: `\nExit codes:\n  0  the explanation was printed\n  2  unknown check (with a suggestion)\n  4  internal error`,
  run: async (id: string | undefined, flags: { format: string; width?: number }) => {
    const mod = await import('../../commands/explain.js');
    return { result: id ? mod.explain(id) : mod.listChecks(), flags };
  },
  render: {
    json,
    table: async (v, how) => {
      const text = await import('../../report/text.js');
      return Array.isArray(v)
        ? text.renderCheckList(v, how.width)
        : `${text.renderExplanation(v, how.width)}\nDocumentation: ${v.docs} (in the repository and the package)\n`;
    },
  },
};
