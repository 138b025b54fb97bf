// Scenario databases: each test file gets fresh databases loaded with the fixture schema (in the
// naive-timestamp or timestamptz variant) and its own data, on the server the global setup started.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export type Variant = 'naive' | 'tz';
const FIXTURES = new URL('../fixtures/', import.meta.url);
export const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

/** The zone the bot's database wrote naive timestamps in (bot-schema.md section 2). */
export const BOT_DB_ZONE = 'Europe/Moscow';

export function adminUrl(): string {
  return inject('pgAdminUrl');
}

export function urlFor(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface ScenarioDb {
  name: string;
  url: string;
  exec(sql: string): Promise<void>;
  drop(): Promise<void>;
}

/** A new database with the bot's schema, its zone set as the bot's database had it, and `data` loaded
 * (data is written with explicit offsets; see naive.sql for how the naive variant is made). */
export async function createScenario(variant: Variant, ...data: string[]): Promise<ScenarioDb> {
  const name = `ts_audit_${variant}_${randomBytes(5).toString('hex')}`;
  await withClient(adminUrl(), async (c) => {
    await c.query(`CREATE DATABASE ${name}`);
    await c.query(`ALTER DATABASE ${name} SET timezone TO '${BOT_DB_ZONE}'`);
  });
  const url = urlFor(name);
  const exec = (sql: string) => withClient(url, async (c) => void (await c.query(sql)));
  await exec(fixture('schema.sql'));
  for (const sql of data) await exec(sql);
  // Converting after loading keeps each instant: ALTER ... TYPE timestamp writes it as the wall-clock
  // time in the session's zone, the bot's, exactly as the bot wrote naive values before its migration.
  if (variant === 'naive') await exec(fixture('naive.sql'));
  return {
    name,
    url,
    exec,
    drop: () => withClient(adminUrl(), async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
