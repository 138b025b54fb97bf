// Output: the only writers of stdout and stderr (credentials masked in diagnostics), colour, width,
// and the exit code a report calls for. The command table's walker (table.ts) writes every command's
// output through writeOutput.
import type { Finding } from '../checks/types.js';
import type { RunContext } from '../run/options.js';
import { EXIT, UsageError } from '../errors.js';
import { maskCredentials } from '../mask.js';
import { visibleLines } from '../report/escape.js';
import { type FailOn, atOrAbove } from '../severity.js';
import type { CommonFlags } from './options.js';

export const EXIT_HELP = `
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on (default: high)
  2  usage, configuration or state-dump error, or standard output could not
     be written (a full disk, a closed pipe)
  3  database error (unreachable, refused, timed out, a table or column missing)
  4  internal error (a bug in ts-audit: please report it with --debug output)
  130, 143  interrupted by SIGINT or SIGTERM (the query running is cancelled)`;

/** Reports and listings: written as rendered. Every credential in them was masked where it was built. */
export const out = (text: string) => process.stdout.write(text);
/**
 * Diagnostics, which may carry a library's text or the data's (a symbol in a dump error): the password
 * slot of any URL or conninfo is masked, and every control character but the line breaks ts-audit
 * writes is escaped as the table output escapes it (an ESC in a symbol cannot recolour or clear the
 * terminal, a CR cannot hide the line). Callers show a value from the data with visible(), so that
 * its newlines cannot start a line of their own either.
 */
export const err = (text: string) => process.stderr.write(visibleLines(maskCredentials(text)));

export const logger = (flags: CommonFlags) => (flags.verbose || flags.debug ? (line: string) => err(`ts-audit: ${line}\n`) : undefined);

export function colorLevel(flags: Pick<CommonFlags, 'color' | 'output'>): 0 | 1 | 2 | 3 {
  const depth = () => {
    const d = process.stdout.isTTY ? (process.stdout.getColorDepth?.() ?? 1) : 1;
    return d >= 24 ? 3 : d >= 8 ? 2 : 1;
  };
  // A flag is the person at the keyboard: it outranks the environment.
  if (flags.color === false) return 0;
  if (flags.color === true) return depth();
  if (process.env.NO_COLOR) return 0;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return n >= 1 && n <= 3 ? (n as 1 | 2 | 3) : 1;
  }
  // A terminal that says it cannot show colour (TERM=dumb) gets none, unless FORCE_COLOR says otherwise.
  if (process.env.TERM === 'dumb') return 0;
  if (flags.output || !process.stdout.isTTY) return 0;
  return depth();
}

/** The width tables fit: --width, else the terminal's (when writing to it), else $COLUMNS, else 80. */
export function tableWidth(flags: Pick<CommonFlags, 'width' | 'output'>): number {
  if (flags.width) return flags.width;
  if (!flags.output && process.stdout.isTTY && process.stdout.columns) return Math.max(40, process.stdout.columns);
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env >= 40 ? env : 80;
}

/** The one rule of the exit code: 1 when a finding is at or above --fail-on, else 0. */
export function exitCodeFor(findings: Iterable<Finding>, failOn: FailOn): number {
  for (const f of findings) if (atOrAbove(f.severity, failOn)) return EXIT.findings;
  return EXIT.ok;
}

/** What every command runs with: the environment, the clock and the --verbose log. */
export function runContext(flags: CommonFlags): RunContext {
  return { env: process.env, now: () => new Date(), log: logger(flags) };
}

/** Writes the chunks in pieces (files.ts pieces), waiting whenever the stream asks to. */
export async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  const { pieces } = await import('../files.js');
  const { checkInterrupted } = await import('../interrupt.js');
  for (const piece of pieces(chunks)) {
    checkInterrupted();
    if (!stream.write(piece)) await new Promise((resolve) => stream.once('drain', resolve));
  }
}

/** Written whole and renamed into place: a reader never sees a partial file. */
export async function writeWhole(path: string, text: string | Iterable<string>, what: string): Promise<void> {
  const { fileProblem, writeAtomically } = await import('../files.js');
  try {
    await writeAtomically(path, text);
  } catch (e) {
    throw new UsageError(`cannot write ${what} to ${path}: ${fileProblem(e, path)}`);
  }
}

/** JSON output: the value as data, indented, with a final newline. */
export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * A command's output where it was asked: the file of -o (written whole, then said on stderr when
 * `said`), else stdout, in pieces as the chunks come.
 */
export async function writeOutput(text: string | Iterable<string>, output: string | undefined, what: string, said?: string): Promise<void> {
  if (!output) {
    await writeChunks(process.stdout, typeof text === 'string' ? [text] : text);
    return;
  }
  await writeWhole(output, text, what);
  if (said) err(`ts-audit: ${said} written to ${output}\n`);
}
