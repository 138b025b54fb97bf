import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseTarget, resolveTarget } from '../../src/db/target.js';
import { UsageError } from '../../src/errors.js';
import { maskCredentials, maskUrl } from '../../src/mask.js';

describe('resolveTarget', () => {
  it('takes --db over DATABASE_URL over the PG* variables', () => {
    const env = { DATABASE_URL: 'postgresql://a@db-a/bot_a', PGHOST: 'db-pg', PGUSER: 'pguser', PGDATABASE: 'pgdb' };
    expect(resolveTarget('postgres://c@db-c:6432/bot_c', env)).toMatchObject({ host: 'db-c', port: 6432, user: 'c', database: 'bot_c', origin: '--db' });
    expect(resolveTarget(undefined, env)).toMatchObject({ host: 'db-a', port: 5432, database: 'bot_a', origin: 'DATABASE_URL' });
    expect(resolveTarget(undefined, { PGHOST: 'db-pg', PGPORT: '5433', PGUSER: 'pguser', PGDATABASE: 'pgdb', PGPASSWORD: 'pw-from-env' })).toMatchObject({
      host: 'db-pg',
      port: 5433,
      user: 'pguser',
      database: 'pgdb',
      password: 'pw-from-env',
      origin: 'PG* variables',
      display: 'postgresql://pguser:***@db-pg:5433/pgdb',
    });
  });

  it('never shows the password, even URL-encoded', () => {
    const t = resolveTarget('postgresql://audit:p%40ss%2Fw0rd!@db:5432/bot', {});
    expect(t.password).toBe('p@ss/w0rd!');
    expect(t.display).toBe('postgresql://audit:***@db:5432/bot');
    expect(maskCredentials('cannot use postgresql://audit:p%40ss@db/bot or host=db password=p@ss user=a')).toBe(
      'cannot use postgresql://audit:***@db/bot or host=db password=*** user=a',
    );
  });

  it('follows sslmode with libpq meanings', () => {
    expect(resolveTarget('postgresql://u@h/d?sslmode=disable', {}).sslmode).toBe('disable');
    expect(resolveTarget('postgresql://u@h/d?sslmode=require', {}).ssl).toMatchObject({ rejectUnauthorized: false });
    expect(resolveTarget('postgresql://u@h/d?sslmode=verify-full', {}).ssl).toMatchObject({ rejectUnauthorized: true });
    const ca = resolveTarget('postgresql://u@h/d?sslmode=verify-ca', {}).ssl;
    expect(ca.rejectUnauthorized).toBe(true);
    expect(ca.checkServerIdentity?.('h', {} as never)).toBeUndefined();
    expect(resolveTarget(undefined, { PGHOST: 'h', PGSSLMODE: 'require' }).sslmode).toBe('require');
    expect(resolveTarget('postgresql://u@h/d', {}).sslmode).toBe('prefer');
  });

  it('verifies the server against sslrootcert under sslmode=require, as libpq does (verify-ca)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-audit-tls-'));
    writeFileSync(join(dir, 'root.crt'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const ssl = resolveTarget(`postgresql://u@h/d?sslmode=require&sslrootcert=${dir}/root.crt`, {}).ssl;
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.ca?.toString()).toContain('BEGIN CERTIFICATE');
    expect(ssl.checkServerIdentity?.('h', {} as never)).toBeUndefined(); // the CA, not the host name
    // Without a root certificate, require only encrypts.
    expect(resolveTarget('postgresql://u@h/d?sslmode=require', { PGSSLROOTCERT: '' }).ssl.rejectUnauthorized).toBe(false);
    expect(resolveTarget(undefined, { PGHOST: 'h', PGSSLMODE: 'require', PGSSLROOTCERT: `${dir}/root.crt` }).ssl.rejectUnauthorized).toBe(true);
    // sslrootcert=system: the system's CAs and the host name.
    const system = resolveTarget('postgresql://u@h/d?sslmode=verify-full&sslrootcert=system', {}).ssl;
    expect(system).toMatchObject({ rejectUnauthorized: true });
    expect(system.checkServerIdentity).toBeUndefined();
    expect(() => resolveTarget(`postgresql://u@h/d?sslmode=require&sslrootcert=${dir}/missing.crt`, {})).toThrow(UsageError);
  });

  it('reads the password from PGPASSFILE or ~/.pgpass as libpq does, and only from a file only its owner can read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-audit-pgpass-'));
    const file = join(dir, 'pgpass');
    writeFileSync(file, '# comment\nother:5432:*:u:nope\nh:5432:d:u:s3cr\\:et\n*:*:*:*:fallback\n', { mode: 0o600 });
    expect(resolveTarget('postgresql://u@h/d', { PGPASSFILE: file }).password).toBe('s3cr:et');
    expect(resolveTarget('postgresql://u@h:6543/d', { PGPASSFILE: file }).password).toBe('fallback');
    expect(resolveTarget('postgresql://u:given@h/d', { PGPASSFILE: file }).password).toBe('given');
    chmodSync(file, 0o644);
    expect(resolveTarget('postgresql://u@h/d', { PGPASSFILE: file }).password).toBeUndefined();
  });

  it('refuses to guess a database when none is given', () => {
    expect(() => resolveTarget(undefined, {})).toThrow(UsageError);
    expect(() => resolveTarget(undefined, {})).toThrow(/no database given: pass --db .*DATABASE_URL.*ts-audit.config.json.*PGHOST/);
    expect(resolveTarget(undefined, { PGDATABASE: 'bot' })).toMatchObject({ database: 'bot', origin: 'PG* variables' });
  });

  it('masks only the password slot, never the same text elsewhere', () => {
    for (const password of ['1', 'postgres', 'ts']) {
      const t = resolveTarget(`postgresql://postgres:${password}@db:5432/postgres`, {});
      expect(t.display).toBe('postgresql://postgres:***@db:5432/postgres');
      const line = `{"reportVersion": 1, "target": "postgresql://postgres:${password}@db/ts"}`;
      expect(maskCredentials(line)).toBe('{"reportVersion": 1, "target": "postgresql://postgres:***@db/ts"}');
    }
  });

  it('rejects what it cannot use, as usage errors', () => {
    expect(() => resolveTarget('mysql://u@h/d', {})).toThrow(UsageError);
    expect(() => resolveTarget('not a url', {})).toThrow(/--db is not a postgres:\/\/ URL/);
    expect(() => resolveTarget('postgresql://u@h/d?sslmode=sometimes', {})).toThrow(/unknown sslmode "sometimes"/);
    expect(() => resolveTarget('postgresql://u@h/d?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem', {})).toThrow(/cannot read sslrootcert/);
  });
});

describe('chooseTarget', () => {
  it('is the one precedence: --db, DATABASE_URL, a named config file, the PG* variables, a config file found in the working directory', () => {
    const named = { url: 'postgresql://f@named/db', discovered: false };
    const found = { url: 'postgresql://f@found/db', discovered: true };
    const all = { DATABASE_URL: 'postgresql://e@env/db', PGHOST: 'pg' };
    expect(chooseTarget({ db: 'postgresql://c@cli/db', config: named }, all)).toEqual({ url: 'postgresql://c@cli/db', origin: '--db' });
    expect(chooseTarget({ config: named }, all)).toEqual({ url: 'postgresql://e@env/db', origin: 'DATABASE_URL' });
    expect(chooseTarget({ config: named }, { PGHOST: 'pg' })).toEqual({ url: named.url, origin: 'the config file' });
    expect(chooseTarget({ config: found }, { PGUSER: 'u' })).toEqual({ origin: 'PG* variables' });
    expect(chooseTarget({ config: found }, {})).toEqual({ url: found.url, origin: 'the config file found in the working directory' });
    expect(chooseTarget({ db: found.url, dbOrigin: 'the config file found in the working directory' }, all)?.origin).toBe(
      'the config file found in the working directory',
    );
    expect(chooseTarget({}, { PGSSLMODE: 'require' })).toBeUndefined();
  });
});

describe('maskUrl', () => {
  it('masks passwords and secret query parameters', () => {
    expect(maskUrl('https://bot:s3cret-token@bot.local:8080/ts?token=abc123&x=1')).toBe('https://bot:***@bot.local:8080/ts?token=***&x=1');
    expect(maskUrl('https://bot.local/ts')).toBe('https://bot.local/ts');
  });
});

describe('a config file found in the working directory', () => {
  it('gets no password from PGPASSWORD or the password file for the host it names; a named file does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-audit-pgpass-'));
    writeFileSync(join(dir, 'pass'), '*:*:*:*:from-file\n');
    chmodSync(join(dir, 'pass'), 0o600);
    const url = 'postgresql://bot@evil.example:5432/bot';
    expect(resolveTarget(url, { PGPASSWORD: 'from-env' }, 'the config file found in the working directory').password).toBeUndefined();
    expect(resolveTarget(url, { PGPASSFILE: join(dir, 'pass') }, 'the config file found in the working directory').password).toBeUndefined();
    expect(
      resolveTarget('postgresql://bot:in-url@evil.example/bot', { PGPASSWORD: 'from-env' }, 'the config file found in the working directory').password,
    ).toBe('in-url');
    expect(resolveTarget(url, { PGPASSWORD: 'from-env' }, 'the config file').password).toBe('from-env');
    expect(resolveTarget(url, { PGPASSFILE: join(dir, 'pass') }, 'the config file').password).toBe('from-file');
  });
});
