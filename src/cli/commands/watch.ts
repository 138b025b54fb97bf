import { type Command, Option } from 'commander';
import {
  type CommonFlags,
  type MemoryFlags,
  type WatchFlags,
  addColorOptions,
  addDatabaseOptions,
  addFilterOptions,
  addLogOptions,
  addThresholdOptions,
  auditOptions,
  diffMemory,
  dumpMaxBytesOption,
  dumpTimeoutOption,
  duration,
  flushIntervalOption,
  fromEventsOption,
  memorySource,
  parseListen,
  priceToleranceOption,
  withConfig,
} from '../options.js';
import { runContext } from '../output.js';
import { onStop } from '../signals.js';
import type { CommandSpec } from '../table.js';

// No render: watch's output is not one result but a line per run that changed something, printed as
// the loop goes (cli/watch-output.ts) until SIGINT or SIGTERM; its run returns when it is stopped.
export const watch: CommandSpec<undefined, CommonFlags & WatchFlags & MemoryFlags> = {
  name: 'watch',
  summary: 'run diff and/or the checks every --interval; Prometheus metrics, only changes printed',
  description:
    'Runs `diff` (when --dump is given; the dump is re-read each time) or every database check (without --dump; with ' +
    '--dump, --all adds them) every --interval over one connection, reconnecting with backoff. A database or dump outage is ' +
    'reported and retried, never fatal. Writes the Prometheus text file atomically (--metrics-file) and serves /metrics and ' +
    '/healthz on --listen. Prints only findings that appeared or resolved since the last run. SIGINT or SIGTERM end it.',
  options: (cmd) => {
    cmd
      .option('--dump <source>', 'state dump (file, or http(s) URL) to diff against on every run')
      .addOption(fromEventsOption())
      .addOption(flushIntervalOption())
      .option('--all', 'with --dump, also run every database check')
      .addOption(new Option('--interval <duration>', 'time between runs').argParser(duration('--interval')).default(60_000, '60s'))
      .option('--metrics-file <file>', 'write the Prometheus text exposition here after each run (atomically)')
      .addOption(new Option('--listen <host:port>', 'serve /metrics and /healthz here ("off" for none)').default('127.0.0.1:9464'))
      .addOption(dumpTimeoutOption())
      .addOption(dumpMaxBytesOption())
      .addOption(priceToleranceOption());
    addColorOptions(cmd);
    addLogOptions(cmd);
    addFilterOptions(cmd);
    addThresholdOptions(cmd, undefined, 'Settings of the database checks (without --dump, or with --all):');
    addDatabaseOptions(cmd);
  },
  examples: ['ts-audit watch --db "$DATABASE_URL" --from-events --interval 30s', 'ts-audit watch --metrics-file /var/lib/node_exporter/ts.prom --listen off'],
  after:
    '\nExit codes:\n' +
    '  0  stopped by SIGINT or SIGTERM (outages of the database or the dump are\n     retried, never fatal)\n' +
    '  2  usage error (a bad flag, an address in use)\n  4  internal error',
  run: async (given: CommonFlags & WatchFlags & MemoryFlags, cmd: Command) => {
    memorySource(given, false);
    const { flags, config } = await withConfig(cmd, given);
    const listen = parseListen(flags.listen);
    const { runWatch } = await import('../../commands/watch.js');
    const controller = new AbortController();
    const off = onStop(() => controller.abort());
    try {
      await runWatch(
        {
          ...auditOptions(flags, config),
          intervalMs: flags.interval,
          diff: diffMemory(flags),
          all: flags.all,
          metricsFile: flags.metricsFile,
          listen,
        },
        runContext(flags),
        (await import('../watch-output.js')).watchPrinter(flags),
        controller.signal,
      );
    } finally {
      off();
    }
    return { result: undefined, flags };
  },
};
