// The command table's shape: each command declared once, as data and functions (its options, in the
// order its help lists them; its run, which computes the command's result; its render, which turns
// that result into the text of the chosen --format), so that src/cli.ts only walks the table. The
// walker (declare) does run -> render -> write -> exit code: it is the only code that writes a
// command's output and decides its exit code.
import type { Command } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { withExamples } from './help.js';
import { colorLevel, err, tableWidth, writeOutput } from './output.js';
import { releaseSpills } from '../report/findings.js';

/** The flags the walker reads, after the config file's merge: where the output goes and what it may use. */
export interface OutputFlags {
  format?: string;
  output?: string;
  width?: number;
  color?: boolean;
  verbose?: boolean;
  debug?: boolean;
}

/** What a renderer is given besides the result: the flags, and what the terminal allows. */
export interface Rendering<F> {
  flags: F;
  /** chalk colour level (0: none), from the flags, the environment and the terminal. */
  colorLevel: 0 | 1 | 2 | 3;
  /** The width tables fit. */
  width: number;
  /** Seconds since the command started (JUnit and Prometheus report how long the run took). */
  runSeconds: number;
}

/** A command's output: one string, or chunks written as they come (a large report is never one string). */
export type Rendered = string | Iterable<string>;

/**
 * One format's renderer. Declared through a method, as run is, so that a table of commands whose
 * results differ holds each with its own result type (methods compare their parameters both ways).
 */
export type Renderer<R, F> = { render(result: R, how: Rendering<F>): Rendered | Promise<Rendered> }['render'];

/** What a command's run hands back to the walker. */
export interface Ran<R, F> {
  /** The command's result: a Report, a DoctorReport, a Timeline, a listing... */
  result: R;
  /** The flags after the config file's merge, which the renderers and the writer read. */
  flags: F;
  /**
   * Called once the output is written (written: true) or could not be (an error is on its way): what the
   * command still holds open is closed here, and a code returned replaces the result's exit code.
   * Only `demo` has one (its database runs while the output is written, and with --keep until Ctrl-C).
   */
  finish?(written: boolean): Promise<number | undefined>;
}

export interface CommandSpec<R = unknown, F extends OutputFlags = OutputFlags> {
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
   * Computes the command's result: parses nothing itself (commander did), writes nothing to stdout.
   * args are commander's: the arguments, the flags, the command. A method, so that each command's run
   * declares the types of its own arguments (methods compare their parameters both ways), where
   * commander hands over unknown values.
   */
  run(...args: unknown[]): Promise<Ran<R, F>>;
  /**
   * Turns the result into the output: a renderer per --format (the choices the option declares; a
   * unit test holds the two together), or one renderer for a command without --format. Absent: the
   * command has no result to render (watch prints as it goes).
   */
  render?: Renderer<R, F> | Partial<Record<string, Renderer<R, F>>>;
  /** The exit code the result calls for (absent: 0). */
  exitCode?(result: R, flags: F): number;
  /**
   * What -o writes (for its error: "cannot write <what> to FILE"), and what stderr then says was written
   * there ("ts-audit: <said> written to FILE"; undefined: nothing).
   */
  output?: { what: string; said?(result: R, flags: F): string | undefined };
  /** Lines for stderr before the output (each after "ts-audit: "): what the result leaves out. */
  warnings?(result: R): string[];
  /** What the command writes besides its output, before it: a report's --write-baseline and GitHub step summary. */
  alsoWrites?(result: R, how: Rendering<F>): Promise<void>;
}

/** The renderer the flags' --format picks (commander has checked the choice: a format without one is a bug of the declaration). */
export function rendererOf<R, F extends OutputFlags>(render: NonNullable<CommandSpec<R, F>['render']>, flags: F): Renderer<R, F> {
  if (typeof render === 'function') return render;
  const renderer = render[flags.format ?? ''];
  if (!renderer) throw new UsageError(`unknown --format ${flags.format}`);
  return renderer;
}

/** Writes what the command's result renders to (stdout, or -o's file) and returns the exit code the result calls for. */
async function deliver<R, F extends OutputFlags>(spec: CommandSpec<R, F>, { result, flags }: Ran<R, F>, started: number): Promise<number> {
  for (const line of spec.warnings?.(result) ?? []) err(`ts-audit: ${line}\n`);
  if (spec.render) {
    const how: Rendering<F> = { flags, colorLevel: colorLevel(flags), width: tableWidth(flags), runSeconds: (performance.now() - started) / 1000 };
    const renderer = rendererOf(spec.render, flags);
    await spec.alsoWrites?.(result, how);
    const text = await renderer(result, how);
    await writeOutput(text, flags.output, spec.output?.what ?? 'output', spec.output?.said?.(result, flags));
  }
  return spec.exitCode?.(result, flags) ?? EXIT.ok;
}

/** Adds one command of the table to the program; setExit receives the code its result calls for. */
export function declare<R, F extends OutputFlags>(program: Command, spec: CommandSpec<R, F>, setExit: (code: number) => void): Command {
  const cmd = program.command(spec.name).summary(spec.summary).description(spec.description);
  for (const [syntax, description] of spec.arguments ?? []) cmd.argument(syntax, description);
  spec.options?.(cmd);
  withExamples(cmd, spec.examples);
  cmd.addHelpText('after', spec.after);
  cmd.action(async (...args: unknown[]) => {
    const started = performance.now();
    const ran = await spec.run(...args);
    let written = false;
    let code: number;
    try {
      code = await deliver(spec, ran, started);
      written = true;
    } finally {
      try {
        const finished = await ran.finish?.(written);
        if (written && finished !== undefined) code = finished;
      } finally {
        // The output is written (or failed): findings sorted on disk are read no more.
        releaseSpills();
      }
    }
    setExit(code);
  });
  return cmd;
}
