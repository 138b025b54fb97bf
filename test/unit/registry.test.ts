// The registry is the one place a check is known: each id is one module (and one test), nothing else
// under src/ spells it, and everything derived from it (explain, the README table, the config schema,
// the report schema's ids) agrees with it.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INDEX_FILE, checkModules, indexSource } from '../../scripts/check-index.mjs';
import { CHECKS, DB_CHECKS, THRESHOLDS, identityKey } from '../../src/checks/index.js';
import { explain } from '../../src/commands/explain.js';
import { configSchema } from '../../src/config-schema.js';
import { CHECK_PAGES, README, REPORT_SCHEMA_SOURCE, checkPage, readmeWithTable, reportSchemaWithIds } from '../../src/generate.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const ids = CHECKS.map((c) => c.id);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? sources(path) : [path];
  });
}

describe('the check registry', () => {
  it('knows every check by its module, kebab-case and unique, each with a unit test and, for a database check, its query file', () => {
    expect(ids.length).toBeGreaterThanOrEqual(21);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(existsSync(`${ROOT}src/checks/${id}.ts`), id).toBe(true);
      expect(existsSync(`${ROOT}test/unit/checks/${id}.test.ts`), `test/unit/checks/${id}.test.ts`).toBe(true);
    }
    for (const c of DB_CHECKS) expect(existsSync(`${ROOT}queries/${c.query}.sql`), c.query).toBe(true);
  });

  it('orders each kind by id as the locale would, though it compares code units (ICU is not loaded to start)', () => {
    const kinds = [...new Set(CHECKS.map((c) => c.kind))];
    for (const kind of kinds) {
      const of = CHECKS.filter((c) => c.kind === kind).map((c) => c.id);
      expect(of).toEqual([...of].sort((a, b) => a.localeCompare(b)));
    }
    expect(readFileSync(`${ROOT}src/checks/index.ts`, 'utf8')).not.toMatch(/localeCompare/);
  });

  it('is a static index written from the folder: adding a module is the only edit (the build writes the index)', () => {
    // The modules of src/checks, as listed now, are the checks the registry holds, and the committed
    // index is exactly what scripts/check-index.mjs writes from them (else: run npm run build).
    expect([...ids].sort()).toEqual(checkModules());
    expect(readFileSync(INDEX_FILE, 'utf8'), 'src/checks/generated-index.ts is stale: run npm run build').toBe(indexSource());
    expect(readFileSync(`${ROOT}src/checks/index.ts`, 'utf8')).not.toMatch(/readdirSync|import\(/);
  });

  it('explains every id a report can carry', () => {
    for (const id of ids) expect(explain(id)).toMatchObject({ id, summary: expect.any(String), failureMode: expect.any(String), repair: expect.any(String) });
    expect(() => explain('missing-in-bd')).toThrow(/unknown check "missing-in-bd" \(did you mean "missing-in-db"\?\)/);
  });

  it("is the only place besides each check's module that spells a check id, in any file under src/", () => {
    const offenders: string[] = [];
    for (const file of sources(`${ROOT}src/`)) {
      const rel = relative(`${ROOT}src/`, file);
      const text = readFileSync(file, 'utf8');
      for (const id of ids) {
        if (rel === 'checks/index.ts' || rel === 'checks/generated-index.ts' || rel === `checks/${id}.ts`) continue;
        if (new RegExp(`(?<![a-z-])${id}(?![a-z-])`).test(text)) offenders.push(`${rel}: ${id}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('derives the README table, the config schema and the report schema ids, and the README agrees', () => {
    expect(readFileSync(README, 'utf8')).toBe(readmeWithTable(readFileSync(README, 'utf8')));
    for (const id of ids) expect(readFileSync(README, 'utf8')).toContain(`| [\`${id}\`](docs/checks/${id}.md) |`);
    const schema = JSON.parse(reportSchemaWithIds(readFileSync(REPORT_SCHEMA_SOURCE, 'utf8')));
    expect(schema.properties.findings.items.properties.check.enum).toEqual(ids);
    const config = configSchema() as { properties: { thresholds: { properties: Record<string, unknown> }; disabled: { items: { enum: string[] } } } };
    expect(Object.keys(config.properties.thresholds.properties)).toEqual([...THRESHOLDS.map((t) => t.name), 'priceTolerance']);
    expect(config.properties.disabled.items.enum).toEqual(ids);
  });

  it('has one generated page per check in docs/checks, as the build writes it from the check, and no other page', () => {
    expect(
      readdirSync(CHECK_PAGES)
        .filter((f) => f.endsWith('.md'))
        .sort(),
    ).toEqual(ids.map((id) => `${id}.md`).sort());
    for (const c of CHECKS) expect(readFileSync(`${CHECK_PAGES}${c.id}.md`, 'utf8'), c.id).toBe(checkPage(c));
    for (const c of CHECKS) expect(explain(c.id).docs).toBe(`docs/checks/${c.id}.md`);
  });

  it('says in explain where `ts-audit rescue` repairs a check: every check rescue writes for names it', () => {
    const repaired = CHECKS.filter((c) => c.rescue);
    expect(repaired.length).toBeGreaterThan(0);
    for (const c of repaired) expect(explain(c.id).repair, c.id).toContain('ts-audit rescue');
  });

  it('defines finding identity once: the reason counts only for checks whose findings it tells apart', () => {
    const f = (check: string, reason: string) => ({
      check,
      severity: 'high' as const,
      exchange: 'x',
      symbol: 'Y',
      positionId: null,
      message: '',
      evidence: { reason },
    });
    const byReason = CHECKS.find((c) => c.identityByReason)?.id as string;
    const notByReason = CHECKS.find((c) => !c.identityByReason)?.id as string;
    expect(identityKey(f(byReason, 'a'))).not.toBe(identityKey(f(byReason, 'b')));
    expect(identityKey(f(notByReason, 'a'))).toBe(identityKey(f(notByReason, 'b')));
  });
});
