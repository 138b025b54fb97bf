// The command table: each command's --format choices are the formats its render declares, and the
// walker runs, renders, writes and sets the exit code in that order, in process.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, type Option } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { REPORT_FORMATS } from '../../src/cli/options.js';
import { type CommandSpec, type OutputFlags, declare } from '../../src/cli/table.js';
import { REPORTERS } from '../../src/report/index.js';

describe('the command table', () => {
  const program = buildProgram();

  it("renders every format a command's --format offers, and no other", () => {
    for (const spec of COMMANDS) {
      const format = (program.commands.find((c) => c.name() === spec.name)?.options as Option[]).find((o) => o.long === '--format');
      if (format) {
        expect(typeof spec.render, spec.name).toBe('object');
        expect(Object.keys(spec.render ?? {}).sort(), spec.name).toEqual([...(format.argChoices ?? [])].sort());
      } else {
        // One renderer for the one output, or none for watch, which prints as it goes.
        expect(typeof spec.render, spec.name).toBe(spec.name === 'watch' ? 'undefined' : 'function');
      }
    }
  });

  it('offers every reporter as a report format', () => {
    expect([...REPORT_FORMATS].sort()).toEqual(Object.keys(REPORTERS).sort());
  });
});

describe('the walker', () => {
  const restore: (() => void)[] = [];
  afterEach(() => {
    for (const r of restore.splice(0)) r();
  });

  /** stdout and stderr as the walker writes them, while the test runs. */
  function capture() {
    const written = { stdout: '', stderr: '' };
    const spy = (stream: 'stdout' | 'stderr') =>
      vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
        written[stream] += String(chunk);
        return true;
      });
    const spies = [spy('stdout'), spy('stderr')];
    restore.push(() => spies.forEach((s) => s.mockRestore()));
    return written;
  }

  type Flags = OutputFlags & { format: string; output?: string; fail?: boolean };
  const steps: string[] = [];
  const spec = (extra: Partial<CommandSpec<number[], Flags>> = {}): CommandSpec<number[], Flags> => ({
    name: 'count',
    summary: 's',
    description: 'd',
    options: (cmd) => cmd.option('--format <format>', 'f', 'text').option('-o, --output <file>', 'o').option('--fail', 'f'),
    examples: [],
    after: '',
    run: async (flags: Flags) => {
      steps.push('run');
      return { result: [1, 2, 3], flags, finish: async (written) => void steps.push(`finish ${written}`) };
    },
    render: {
      text: (n) => {
        steps.push('render');
        return n.map((x) => `${x}\n`);
      },
      json: (n, how) => `${JSON.stringify({ n, width: how.width })}\n`,
    },
    exitCode: (n, flags) => (flags.fail ? n.length : 0),
    output: { what: 'count', said: (n) => `${n.length} numbers` },
    warnings: (n) => [`left out ${n.length}`],
    ...extra,
  });

  async function walk(s: CommandSpec<number[], Flags>, args: string[]): Promise<number | undefined> {
    let code: number | undefined;
    const program = new Command('t').exitOverride();
    declare(program, s, (c) => (code = c));
    await program.parseAsync(['node', 't', 'count', ...args]);
    return code;
  }

  it('runs, says what the result leaves out, renders the chosen format, writes it to stdout and exits as the result calls for', async () => {
    steps.length = 0;
    const out = capture();
    expect(await walk(spec(), ['--fail'])).toBe(3);
    expect(out.stdout).toBe('1\n2\n3\n');
    expect(out.stderr).toBe('ts-audit: left out 3\n');
    expect(steps).toEqual(['run', 'render', 'finish true']);
    expect(await walk(spec(), ['--format', 'json', '--fail'])).toBe(3);
    expect(out.stdout).toBe('1\n2\n3\n{"n":[1,2,3],"width":80}\n');
  });

  it('writes -o whole and says so; a code from finish replaces the exit code', async () => {
    const out = capture();
    const file = join(mkdtempSync(join(tmpdir(), 'ts-audit-walker-')), 'n.txt');
    const finish = (flags: Flags) => ({ result: [7], flags, finish: async () => 42 });
    expect(await walk(spec({ run: async (flags: Flags) => finish(flags) }), ['-o', file])).toBe(42);
    expect(readFileSync(file, 'utf8')).toBe('7\n');
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(`ts-audit: left out 1\nts-audit: 1 numbers written to ${file}\n`);
  });

  it('calls finish with written false when the output cannot be written, and passes the error on', async () => {
    steps.length = 0;
    capture();
    const missing = join(tmpdir(), 'ts-audit-no-such-dir', 'x', 'n.txt');
    await expect(walk(spec(), ['-o', missing])).rejects.toThrow(/cannot write count to .*n\.txt/);
    expect(steps).toEqual(['run', 'render', 'finish false']);
  });
});
