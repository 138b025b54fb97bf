// The ts-audit command line: the program and its shared settings, then every command of the table
// (src/cli/commands/), each calling its module lazily so that --help and --version stay fast. Only
// this layer writes (cli/output.ts) and decides the exit code; commands return data.
import { Command, CommanderError } from 'commander';
import { EXIT, TsAuditError } from './errors.js';
import { VERSION } from './version.js';
import { COMMAND_GROUPS, MEMORY_SOURCES, ON_CALL_PATH, formatHelp } from './cli/help.js';
import { COMMANDS } from './cli/commands/index.js';
import { EXIT_HELP, err, out } from './cli/output.js';
import { declare } from './cli/table.js';
import { exitCodeOf, interruptedBy } from './interrupt.js';

/** Every command, option and help text: the CLI, and the source of the completion scripts and the man page. */
export function buildProgram(setExit: (code: number) => void = () => undefined): Command {
  const program = new Command('ts-audit')
    .description("Finds where a trading bot's trailing stops in memory and in PostgreSQL disagree, before a restart loses them.")
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .configureHelp({ formatHelp })
    .addHelpText('after', `\n${ON_CALL_PATH.join('\n')}\n\n${MEMORY_SOURCES.join('\n')}\n${EXIT_HELP}`)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: out,
      writeErr: err,
      outputError: (text, write) => write(`ts-audit: ${text.replace(/^error: /, '')}`),
    });
  for (const spec of COMMANDS) declare(program, spec, setExit);
  groupCommands(program);
  return program;
}

/** The top-level help's commands by task (COMMAND_GROUPS), in that order; help itself under the last group. */
function groupCommands(program: Command): void {
  const order = COMMAND_GROUPS.flatMap(([, names]) => names);
  const missing = program.commands.filter((c) => !order.includes(c.name())).map((c) => c.name());
  if (missing.length) throw new Error(`src/cli/help.ts: COMMAND_GROUPS does not place ${missing.join(', ')}`);
  for (const [heading, names] of COMMAND_GROUPS) for (const c of program.commands) if (names.includes(c.name())) c.helpGroup(heading);
  (program.commands as Command[]).sort((a, b) => order.indexOf(a.name()) - order.indexOf(b.name()));
  program.commandsGroup(COMMAND_GROUPS.at(-1)?.[0] ?? 'Commands:').helpCommand('help [command]', 'show the help of a command');
}

/** After a signal: one line on stderr, and 130 (SIGINT) or 143 (SIGTERM). */
function interrupted(): number | undefined {
  const signal = interruptedBy();
  if (!signal) return undefined;
  err(`ts-audit: interrupted by ${signal}: the query running on the server was cancelled and no report was written\n`);
  return exitCodeOf(signal);
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  const debug = argv.includes('--debug');
  try {
    if (argv.length <= 2) {
      program.outputHelp({ error: true });
      return EXIT.usage;
    }
    await program.parseAsync(argv);
    return interrupted() ?? code;
  } catch (e) {
    const stopped = interrupted();
    if (stopped !== undefined) return stopped;
    if (e instanceof CommanderError) {
      const done = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code) && e.exitCode === 0;
      return done ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof TsAuditError) {
      err(`ts-audit: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
      if (debug && e.cause instanceof Error && e.cause.stack) err(`${e.cause.stack}\n`);
      return e.exitCode;
    }
    const error = e as Error;
    err(`ts-audit: internal error: ${String(error?.message ?? e).replace(/\s*\n\s*/g, ' ')}${debug ? '' : ' (run with --debug for the stack trace)'}\n`);
    if (debug && error?.stack) err(`${error.stack}\n`);
    return EXIT.internal;
  }
}
