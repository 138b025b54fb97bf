// Scenario databases: each test file gets fresh databases loaded with the fixture schema (in the
// naive-timestamp or timestamptz variant) and its own data, on the server the global setup started.
import { existsSync, readFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { databaseUrl, withClient } from './client.js';
import type { Templates } from './templates.js';
import { afterAll, beforeAll, inject } from 'vitest';

/**
 * tz: every timestamp timestamptz (the bot after its migration); naive: positions and orders as naive
 * `timestamp` (before it); naive-ms: the same as timestamp(3); current: the production shape of 2026
 * (fixtures/current.sql); incident-era: naive, without has_trailing_stop and has_stop_loss
 * (fixtures/incident-era.sql).
 */
export type Variant = 'naive' | 'tz' | 'naive-ms' | 'current' | 'incident-era';
const FIXTURES = new URL('../fixtures/', import.meta.url);
// The bot's schema and the incident replica ship with the package for `ts-audit demo`: one copy, there.
const DEMO = new URL('../../src/demo/', import.meta.url);

/** A SQL file from test/fixtures, else from src/demo. */
export const fixture = (name: string) => readFileSync(new URL(name, existsSync(new URL(name, FIXTURES)) ? FIXTURES : DEMO), 'utf8');

/** The incident's 14-stop dump (ts-audit JSON), as the demo writes it. */
export const INCIDENT_DUMP = new URL('incident-dump.json', DEMO).pathname;

/** A dump in test/fixtures/dumps, or the incident dump by its old name incident.json. */
export const dumpPath = (name: string) => (name === 'incident.json' ? INCIDENT_DUMP : new URL(`dumps/${name}`, FIXTURES).pathname);

/** The zone the bot's database wrote naive timestamps in (docs/bot.md#time-zones). */
export const BOT_DB_ZONE = 'Europe/Moscow';

export function adminUrl(): string {
  return inject('pgAdminUrl');
}

export function urlFor(database: string): string {
  return databaseUrl(adminUrl(), database);
}

export { withClient };

export interface ScenarioDb {
  name: string;
  url: string;
  exec(sql: string): Promise<void>;
  drop(): Promise<void>;
}

/** A new database with the bot's schema, its zone set as the bot's database had it, and `data` loaded
 * (data is written with explicit offsets; see naive.sql for how the naive variant is made). */
export async function createScenario(variant: Variant, ...data: string[]): Promise<ScenarioDb> {
  const name = `ts_audit_${variant.replace(/-/g, '_')}_${randomBytes(5).toString('hex')}`;
  const templates = inject('pgTemplates');
  // A copy of the scenario's own template: the variant's template with this data loaded and converted.
  const source = await scenarioTemplate(variant, data, templates);
  await admin(async (c) => {
    await c.query(`CREATE DATABASE ${name} TEMPLATE ${source} ${templates.strategy}`);
    await c.query(`ALTER DATABASE ${name} SET timezone TO '${BOT_DB_ZONE}'`);
  });
  const url = urlFor(name);
  const exec = (sql: string) => withClient(url, async (c) => void (await c.query(sql)));
  return {
    name,
    url,
    exec,
    drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

// This worker's connection for creating and dropping scenario databases, opened at its first use:
// two connections a scenario (a backend and a password exchange each) were a good part of the
// server's work. A connection the server closed (at the end of the run) is opened again if needed.
let adminClient: Promise<pg.Client> | undefined;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  adminClient ??= (async () => {
    const client = new pg.Client({ connectionString: adminUrl() });
    const forget = () => {
      adminClient = undefined;
    };
    client.on('error', forget);
    client.on('end', forget);
    await client.connect();
    return client;
  })().catch((err: unknown) => {
    adminClient = undefined;
    throw err;
  });
  return fn(await adminClient);
}

// The templates this worker has made or found, by name.
const scenarioTemplates = new Map<string, Promise<string>>();

/**
 * The template of one variant and data, made once per run by the first scenario that needs it and
 * copied by every other: many files and both time zones load the same fixtures, and a copy costs the
 * server less than loading and converting them again. Its name carries the run's template suffix, so
 * it goes with the run's templates (templates.ts).
 */
function scenarioTemplate(variant: Variant, data: string[], templates: Templates): Promise<string> {
  const key = createHash('sha256')
    .update(JSON.stringify([variant, data]))
    .digest('hex')
    .slice(0, 16);
  const name = `${templates.base}_${key}`;
  let made = scenarioTemplates.get(name);
  if (!made) {
    made = makeScenarioTemplate(name, variant, data, templates);
    scenarioTemplates.set(name, made);
    made.catch(() => scenarioTemplates.delete(name));
  }
  return made;
}

async function makeScenarioTemplate(name: string, variant: Variant, data: string[], templates: Templates): Promise<string> {
  await withClient(adminUrl(), async (c) => {
    // The workers of every project make the same templates: one makes each, the others wait for it.
    await c.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      if ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) return;
      await c.query(`CREATE DATABASE ${name} TEMPLATE ${variant === 'current' ? templates.current : templates.base} ${templates.strategy}`);
      try {
        await c.query(`ALTER DATABASE ${name} SET timezone TO '${BOT_DB_ZONE}'`);
        // Converting after loading keeps each instant: ALTER ... TYPE timestamp writes it as the
        // wall-clock time in the session's zone, the bot's, exactly as the bot wrote naive values
        // before its migration.
        const conversions = [
          ...(variant === 'naive' || variant === 'incident-era' ? [fixture('naive.sql')] : []),
          ...(variant === 'naive-ms' ? [fixture('naive-ms.sql')] : []),
          ...(variant === 'incident-era' ? [fixture('incident-era.sql')] : []),
        ];
        // One connection for the data and the conversions, each file still its own statement batch.
        await withClient(urlFor(name), async (t) => {
          for (const sql of [...data, ...conversions]) await t.query(sql);
        });
      } catch (err) {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        throw err;
      }
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
  return name;
}

/**
 * A scenario database for the enclosing describe: created before its tests, dropped after them. Its
 * fields are read when a test uses them, once the database exists.
 */
export function useScenario(variant: Variant, ...data: string[]): ScenarioDb {
  let created: ScenarioDb | undefined;
  beforeAll(async () => {
    created = await createScenario(variant, ...data);
  });
  afterAll(async () => created?.drop());
  const get = (): ScenarioDb => {
    if (!created) throw new Error('the scenario database is used before its beforeAll ran');
    return created;
  };
  return {
    get name() {
      return get().name;
    },
    get url() {
      return get().url;
    },
    exec: (sql) => get().exec(sql),
    drop: () => get().drop(),
  };
}
