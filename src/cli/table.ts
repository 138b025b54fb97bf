// The command table's shape: each command declared once, as data and two functions (its options, in
// the order its help lists them, and its run), so that src/cli.ts only walks the table.
import type { Command } from 'commander';
import { withExamples } from './help.js';

export interface CommandSpec {
  name: string;
  summary: string;
  description: string;
  /** Positional arguments: [syntax, description]. */
  arguments?: [string, string][];
  /** Declares the command's options, in the order its help lists them. */
  options?: (cmd: Command) => void;
  /** Command lines the help shows first (without the `$ `). */
  examples: string[];
  /** What the help says after the options: the exit codes. */
  after: string;
  /**
   * Runs the command: parses nothing itself (commander did), writes its output through cli/output.ts
   * and returns the exit code (undefined: 0). args are commander's: the arguments, the flags, the command.
   * A method, so that each command's run declares the types of its own arguments (methods compare their
   * parameters both ways), where commander hands over unknown values.
   */
  run(...args: unknown[]): Promise<number | undefined>;
}

/** Adds one command of the table to the program; setExit receives the code its run returns. */
export function declare(program: Command, spec: CommandSpec, setExit: (code: number) => void): Command {
  const cmd = program.command(spec.name).summary(spec.summary).description(spec.description);
  for (const [syntax, description] of spec.arguments ?? []) cmd.argument(syntax, description);
  spec.options?.(cmd);
  withExamples(cmd, spec.examples);
  cmd.addHelpText('after', spec.after);
  cmd.action(async (...args: unknown[]) => {
    const code = await spec.run(...args);
    if (code !== undefined) setExit(code);
  });
  return cmd;
}
