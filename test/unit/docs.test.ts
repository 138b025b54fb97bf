// The docs stay true: the README is a short guide that shows the test command, every link in the
// README, docs/, bench/README.md and CONTRIBUTING.md leads to a file of this repository (and to a
// heading of it, for a `#` link), and no file cites one outside the repository.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/**
 * Pages written on sibling branches at the same time as this one (issues 22-24): linked already, and
 * present once those branches are merged. A test below fails as soon as one exists, so the entry is
 * removed then and its links are checked like every other.
 */
const PENDING: string[] = [];

function walk(dir: string, keep: (path: string) => boolean): string[] {
  const skip = new Set(['node_modules', 'dist', '.git', 'coverage', '.ts-audit-test', '.scratch']);
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    if (skip.has(name)) return [];
    const path = dir ? `${dir}/${name}` : name;
    return statSync(join(ROOT, path)).isDirectory() ? walk(path, keep) : keep(path) ? [path] : [];
  });
}

const DOCS = ['README.md', 'CONTRIBUTING.md', 'bench/README.md', ...walk('docs', (p) => p.endsWith('.md'))];

/** Markdown without its fenced blocks and code spans, where a bracket is not a link. */
const prose = (text: string) => text.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '``');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
const anchors = (text: string) =>
  new Set(
    text
      .replace(/^```[\s\S]*?^```$/gm, '')
      .match(/^#{1,6} .*$/gm)
      ?.map((h) => slug(h.replace(/^#+ /, ''))) ?? [],
  );

function links(file: string): { target: string; anchor: string | null }[] {
  return [...prose(read(file)).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] ?? '')
    .filter((t) => !/^(https?|mailto):/.test(t))
    .map((t) => {
      const [path, anchor] = t.split('#') as [string, string | undefined];
      return { target: path ? relative(ROOT, resolve(join(ROOT, dirname(file)), path)) : file, anchor: anchor ?? null };
    });
}

describe('the README', () => {
  it('is a short guide that shows the test command CI runs', () => {
    const readme = read('README.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
    expect(readme).toContain('```sh\nnpm install\nnpm test\n```');
    expect(read('.ci/run')).toMatch(/^npm test$/m);
  });

  it('shows the on-call path on its first screen, in order', () => {
    const screen = read('README.md').split('\n').slice(0, 40).join('\n');
    const steps = ['ts-audit doctor', 'ts-audit diff --from-events', 'ts-audit rescue --from-events -o rescue.sql', 'psql ', 'ts-audit restore'].map((s) =>
      screen.indexOf(s),
    );
    expect(steps.every((i) => i > 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });
});

describe('the links of the docs', () => {
  it.each(DOCS)('%s: every link leads to a file of the repository, and a # link to one of its headings', (file) => {
    const broken: string[] = [];
    for (const { target, anchor } of links(file)) {
      if (PENDING.includes(target)) continue;
      if (!existsSync(join(ROOT, target))) broken.push(`${target} (no such file)`);
      else if (anchor && target.endsWith('.md') && !anchors(read(target)).has(anchor)) broken.push(`${target}#${anchor} (no such heading)`);
    }
    expect(broken).toEqual([]);
  });

  it('checks links the way GitHub makes anchors, and finds a broken one', () => {
    expect(slug('`ts-audit timeline [SYMBOL...]`')).toBe('ts-audit-timeline-symbol');
    expect(slug('Memory from the event journal: `--from-events`')).toBe('memory-from-the-event-journal---from-events');
    expect(links('docs/commands.md').some((l) => l.target === 'README.md' && l.anchor === 'checks')).toBe(true);
    expect(anchors(read('README.md')).has('checks')).toBe(true);
    expect(anchors(read('README.md')).has('no-such-heading')).toBe(false);
  });

  it('still waits for each pending page: once it exists, it leaves PENDING and its links are checked', () => {
    for (const page of PENDING) expect(existsSync(join(ROOT, page)), `${page} exists now: remove it from PENDING`).toBe(false);
  });

  it('links every check page from the README', () => {
    const linked = new Set(links('README.md').map((l) => l.target));
    for (const page of walk('docs/checks', (p) => p.endsWith('.md'))) expect(linked.has(page), page).toBe(true);
  });
});

describe('the reference', () => {
  it('documents every command and every flag the CLI has, in the pages the README links', () => {
    const text = ['README.md', ...walk('docs', (p) => p.endsWith('.md') && !p.startsWith('docs/checks/'))].map(read).join('\n');
    const missing: string[] = [];
    for (const cmd of buildProgram().commands) {
      if (!text.includes(`ts-audit ${cmd.name()}`)) missing.push(cmd.name());
      for (const o of cmd.options) if (o.long && !text.includes(`\`${o.long}`)) missing.push(`${cmd.name()} ${o.long}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('citations', () => {
  it('no file of the repository cites a file outside it (the bot is described in docs/bot.md)', () => {
    // Spelled in pieces, so that this file does not cite them either.
    const outside = [['bot', 'schema.md'].join('-'), ['shared', 'reference'].join('/'), ['shared', 'seeds'].join('/'), ['', 'work', ''].join('/')];
    const text = /\.(ts|mjs|js|sql|md|json|txt|log|yml|yaml|sh)$|^\.ci\//;
    const offenders = walk('', (p) => text.test(p) && p !== 'package-lock.json').flatMap((p) =>
      outside.filter((o) => read(p).includes(o)).map((o) => `${p}: ${o}`),
    );
    expect(offenders).toEqual([]);
  });

  it('points code, SQL and tests at pages and headings of docs/ that exist', () => {
    const broken: string[] = [];
    for (const p of walk('', (f) => /^(src|queries|test)\//.test(f) && /\.(ts|sql)$/.test(f))) {
      for (const m of read(p).matchAll(/\b(docs\/[\w/-]+\.md)(?:#([\w-]+))?/g)) {
        const [, page = '', anchor] = m;
        // Check pages are the registry test's: one per check (a test writes one for a check of its own).
        if (PENDING.includes(page) || page.startsWith('docs/checks/')) continue;
        if (!existsSync(join(ROOT, page))) broken.push(`${p}: ${page}`);
        else if (anchor && !anchors(read(page)).has(anchor)) broken.push(`${p}: ${page}#${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
