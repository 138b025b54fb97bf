// ts-audit watch survives the database going away and coming back. A TCP proxy in this process
// stands between watch and PostgreSQL: closing it (and its connections) is the outage. watch is
// spawned: it runs until SIGTERM or SIGINT, and how it stops on each is what several tests hold.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { type Server, type Socket, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { INCIDENT_DUMP, fixture, useScenario } from '../support/db.js';
import { start } from '../support/cli.js';
import { WATCH_MAX_CONNECTIONS } from '../../src/commands/watch.js';

function proxy(target: URL, port: number): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({
        server,
        port: (server.address() as { port: number }).port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    ),
  );
}

async function until(what: string, check: () => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('ts-audit watch', () => {
  const db = useScenario('naive', fixture('incident.sql'));

  it('reports an outage, retries, recovers, prints only changes, and stops on SIGTERM', async () => {
    const dbUrl = new URL(db.url);
    let link = await proxy(dbUrl, 0);
    const viaProxy = new URL(db.url);
    viaProxy.port = String(link.port);
    const metricsFile = `${mkdtempSync(`${tmpdir()}/ts-audit-watch-`)}/ts_audit.prom`;
    const running = start([
      'watch',
      '--db',
      viaProxy.toString(),
      '--dump',
      INCIDENT_DUMP,
      '--interval',
      '300ms',
      '--metrics-file',
      metricsFile,
      '--listen',
      'off',
      '--connect-timeout',
      '2s',
    ]);
    const { child, exited } = running;
    const metrics = () => (existsSync(metricsFile) ? readFileSync(metricsFile, 'utf8') : '');

    try {
      // The summary line and the findings are separate writes: wait for all of them, not the first chunk.
      await until(
        'the first run',
        () => running.stdout().includes('findings: 1 critical · 12 high') && (running.stdout().match(/^ {2}\+ /gm) ?? []).length >= 13,
      );
      expect(running.stdout().match(/^ {2}\+ /gm)).toHaveLength(13);
      expect(metrics()).toContain('ts_audit_up 1');
      expect(metrics()).toContain('ts_audit_memory_db_mismatch{command="diff"} 13');
      const quiet = running.stdout().length;
      await new Promise((r) => setTimeout(r, 800)); // two more runs, nothing changed
      expect(running.stdout().length).toBe(quiet);

      await link.close(); // the database goes away
      await until('the outage to be reported', () => /run failed: .*; retrying in [\d.]+s/.test(running.stderr()));
      await until('the metrics to show it', () => metrics().includes('ts_audit_up 0'));

      // While it is away, the bot saves RADUSDT's stop.
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      await admin.query(`INSERT INTO monitoring.trailing_stop_state (symbol, exchange, position_id, state, is_activated, highest_price, lowest_price,
        activation_price, entry_price, side, quantity, update_count, created_at) VALUES ('RADUSDT', 'bybit', 2, 'waiting', false, 0.6198, 999999, 0.61842, 0.6123, 'long', 32.6, 7, now())`);
      await admin.end();

      link = await proxy(dbUrl, link.port); // and comes back on the same address
      await until(
        'recovery',
        () => /changed: 1 critical · 11 high · 0 medium.*\n {2}- resolved: HIGH missing-in-db bybit RADUSDT/.test(running.stdout()),
        20_000,
      ).catch((e) => {
        throw new Error(`${e.message}\nstdout: ${running.stdout().slice(-1500)}\nstderr: ${running.stderr().slice(-1500)}`);
      });
      await until('the metrics to recover', () => metrics().includes('ts_audit_up 1') && metrics().includes('ts_audit_memory_db_mismatch{command="diff"} 12'));

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await link.close();
    }
  });

  it('keeps running and serving when its metrics file cannot be written, says so each run, and writes it once it can', async () => {
    const dir = mkdtempSync(`${tmpdir()}/ts-audit-watch-`);
    const metricsFile = `${dir}/missing/ts_audit.prom`; // the folder does not exist (yet)
    const running = start(['watch', '--db', db.url, '--interval', '200ms', '--listen', '127.0.0.1:0', '--metrics-file', metricsFile]);
    const { child, exited } = running;
    try {
      await until(
        'two failed writes',
        () =>
          (running.stderr().match(/cannot write metrics to .*missing\/ts_audit\.prom: the folder .*missing does not exist; \/metrics still serves/g) ?? [])
            .length >= 2,
      );
      const base = /serving (http:\/\/[^/]+)\/metrics/.exec(running.stderr())?.[1];
      expect(await (await fetch(`${base}/metrics`)).text()).toContain('ts_audit_up 1');
      expect(running.stdout()).toContain('findings:');
      expect(readdirSync(dir)).toEqual([]); // no temporary file left behind
      mkdirSync(`${dir}/missing`);
      await until('the file to be written', () => existsSync(metricsFile) && readFileSync(metricsFile, 'utf8').includes('ts_audit_up 1'));
      expect(readdirSync(`${dir}/missing`)).toEqual(['ts_audit.prom']);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('serves /metrics and /healthz on --listen, and stops on SIGINT', async () => {
    const running = start(['watch', '--db', db.url, '--interval', '1s', '--listen', '127.0.0.1:0']);
    const { child, exited } = running;
    try {
      await until('the server', () => /serving (http:\/\/[^/]+)\/metrics/.test(running.stderr()));
      const base = /serving (http:\/\/[^/]+)\/metrics/.exec(running.stderr())?.[1];
      await until('the first run', () => running.stdout().includes('findings:'));
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get('content-type')).toContain('text/plain; version=0.0.4');
      const body = await metrics.text();
      expect(body).toContain('ts_audit_up 1');
      // The test above saved RADUSDT's row in this database: 12 or 13 positions a restart would not restore.
      expect(body).toMatch(/^ts_audit_findings\{command="check",check="restore-loss",severity="high"\} 1[23]$/m);
      const health = await fetch(`${base}/healthz`);
      expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
      expect((await fetch(`${base}/other`)).status).toBe(404);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('on SIGTERM closes its HTTP connections at once: a client sending its headers slowly does not hold the exit', async () => {
    const running = start(['watch', '--db', db.url, '--interval', '1s', '--listen', '127.0.0.1:0']);
    const { child, exited } = running;
    try {
      await until('the server', () => /serving (http:\/\/[^/]+)\/metrics/.test(running.stderr()));
      const base = new URL(/serving (http:\/\/[^/]+)\/metrics/.exec(running.stderr())?.[1] as string);
      const slow = connect(Number(base.port), base.hostname);
      let closedByServer = false;
      slow.on('error', () => undefined);
      slow.on('close', () => (closedByServer = true));
      await new Promise((resolve) => slow.once('connect', resolve));
      // Half a request: the headers never end.
      slow.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
      await new Promise((r) => setTimeout(r, 200));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      // It ended with the client's connection still wanting to send: the server closed it.
      await until('the slow connection to close', () => closedByServer);
      expect(slow.destroyed).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it(`caps its HTTP connections at ${WATCH_MAX_CONNECTIONS}: idle clients cannot use up its file descriptors, and it answers again once they are gone`, async () => {
    // What is tested is its HTTP server, not its runs: the first run (at once) is the only one.
    const running = start(['watch', '--db', db.url, '--interval', '1m', '--listen', '127.0.0.1:0']);
    const { child, exited } = running;
    const idle: Socket[] = [];
    try {
      await until('the server', () => /serving (http:\/\/[^/]+)\/metrics/.test(running.stderr()));
      const base = new URL(/serving (http:\/\/[^/]+)\/metrics/.exec(running.stderr())?.[1] as string);
      let refused = 0;
      for (let i = 0; i < WATCH_MAX_CONNECTIONS + 40; i++) {
        const s = connect(Number(base.port), base.hostname);
        s.on('error', () => undefined);
        s.on('close', () => (refused += 1));
        idle.push(s);
      }
      await Promise.all(
        idle.map((s) => new Promise((resolve) => (s.readyState === 'open' ? resolve(null) : s.once('connect', resolve).once('close', resolve)))),
      );
      // Every connection beyond the cap is closed by the server as it arrives.
      await until('the connections beyond the cap to close', () => refused >= 40);
      expect(refused).toBe(40);
      // The cap is per connection, not for ever: idle ones gone, the server answers again.
      for (const s of idle) s.destroy();
      let health = 0;
      for (let i = 0; i < 50 && health !== 200; i++) {
        health = await fetch(`${base.origin}/healthz`)
          .then((r) => r.status)
          .catch(() => 0);
        if (health !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(health).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      for (const s of idle) s.destroy();
      child.kill('SIGKILL');
    }
  });
});
