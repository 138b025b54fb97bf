import { type Command, Option } from 'commander';
import { type CommonFlags, addColorOptions, addDatabaseOptions, addLogOptions, auditOptions, widthOption, withConfig } from '../options.js';
import { logger } from '../output.js';
import type { CommandSpec } from '../table.js';
import type { DoctorReport } from '../../report/types.js';

export const doctor: CommandSpec<DoctorReport, CommonFlags> = {
  name: 'doctor',
  summary: 'is ts-audit set up right? the database it resolved and from where, tables, checks, zone, journal, role',
  description:
    'Like `dbt debug`: shows which database target was resolved and from where (--db, DATABASE_URL, the config file, PG*), the ' +
    'config file in use, the server version and a round trip, each bot table with the columns ts-audit reads (and so which ' +
    'checks can run and which are skipped), the zone naive timestamps are read in and where it came from, how far back the ' +
    'event journal goes, and whether the role can write (a read-only role is recommended; the GRANTs to create one are ' +
    'printed). Reads the catalog only, in one read-only snapshot.',
  options: (cmd) => {
    cmd.addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table')).addOption(widthOption());
    addDatabaseOptions(cmd);
    addColorOptions(cmd);
    addLogOptions(cmd);
  },
  examples: ['ts-audit doctor --db "$DATABASE_URL"', 'ts-audit doctor --format json'],
  after:
    '\nExit codes:\n' +
    '  0  everything ts-audit needs works (warnings may remain: an optional table or\n     column, a role that can write)\n' +
    '  2  configuration error: no database given, a bad flag or a broken config file\n' +
    '  3  the database is unusable as it is: unreachable, refused, or a required\n     table or column missing\n' +
    '  4  internal error',
  run: async (given: CommonFlags, cmd: Command) => {
    const { flags, config } = await withConfig(cmd, given);
    const { runDoctor, targetSource } = await import('../../commands/doctor.js');
    const { configPath } = await import('../../config.js');
    const { chooseTarget } = await import('../../db/target.js');
    const env = process.env;
    const dbSource = targetSource(
      chooseTarget({ db: flags.db, dbOrigin: flags.dbFrom }, env),
      env,
      config && { path: configPath(flags.config), url: config.db, discovered: config.discovered },
    );
    const zone = cmd.getOptionValueSource('dbTimezone');
    const zoneSource =
      zone === 'cli'
        ? '--db-timezone'
        : zone === 'env'
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
    return { result: report, flags };
  },
  render: {
    json: async (report) => (await import('../../report/doctor.js')).renderDoctorJson(report),
    table: async (report, how) => (await import('../../report/doctor.js')).renderDoctor(report, how.width, how.colorLevel),
  },
  exitCode: (report) => report.exitCode,
};
