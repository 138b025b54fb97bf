import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { CommandSpec } from '../table.js';

// Its result is the script (written from the program's declarations, so run needs the program): one
// renderer, which writes it as it is, since there is no --format.
export const completion: CommandSpec<string> = {
  name: 'completion',
  summary: 'print a shell completion script: commands, options, check ids, formats',
  description:
    'Prints a completion script for bash, zsh or fish, written from the same definitions as this help. Load it with ' +
    '`source <(ts-audit completion bash)` (bash, and zsh after compinit) or `ts-audit completion fish | source`.',
  arguments: [['<shell>', 'bash, zsh or fish']],
  examples: [
    'source <(ts-audit completion bash)',
    'ts-audit completion zsh > "${fpath[1]}/_ts-audit"',
    'ts-audit completion fish > ~/.config/fish/completions/ts-audit.fish',
  ],
  after: '\nExit codes:\n  0  the script was printed\n  2  unknown shell\n  4  internal error',
  run: async (shell: string, _flags: unknown, cmd: Command) => {
    const { SHELLS, completionScript } = await import('../completion.js');
    if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`unknown shell "${shell}": expected ${SHELLS.join(', ')}`);
    return { result: completionScript(cmd.parent as Command, shell as (typeof SHELLS)[number]), flags: {} };
  },
  render: (script) => script,
};
