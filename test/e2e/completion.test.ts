// Shell completion scripts that the shells accept and that complete what the CLI takes, and the man
// page written at build time. zsh and fish are exercised where installed (bash always is).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, expectOneLineError } from '../support/cli.js';
import { cli } from '../support/in-process.js';
import { requireBuild } from '../support/report.js';

requireBuild();

const has = (program: string) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
const script = async (shell: string) => {
  const r = await cli(['completion', shell]);
  expect(r.code).toBe(0);
  const file = join(tmpdir(), `ts-audit-completion-${process.pid}.${shell}`);
  writeFileSync(file, r.stdout);
  return { text: r.stdout, file };
};

describe('ts-audit completion', () => {
  it('bash: accepted by bash, and completes commands, options, formats, severities and check ids', async () => {
    const { text, file } = await script('bash');
    expect(spawnSync('bash', ['-n', file]).status).toBe(0);
    const complete = (...words: string[]) => {
      const probe = `source ${file}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _ts_audit; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const r = spawnSync('bash', ['-c', probe], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim().split('\n').filter(Boolean);
    };
    expect(complete('ts-audit', 'do')).toEqual(['doctor']);
    expect(complete('ts-audit', '')).toEqual(expect.arrayContaining(['diff', 'check', 'doctor', 'completion', 'timestamps']));
    expect(complete('ts-audit', 'check', '--fail')).toEqual(['--fail-on']);
    expect(complete('ts-audit', 'check', '--format', '')).toEqual(['table', 'json', 'ndjson', 'markdown', 'junit', 'prometheus', 'compact', 'github', 'sarif']);
    expect(complete('ts-audit', 'diff', '--fail-on', '')).toEqual(['critical', 'high', 'medium', 'low', 'info', 'none']);
    expect(complete('ts-audit', 'check', 'late')).toEqual(['late-persisted']);
    expect(complete('ts-audit', 'explain', 'missing-in')).toEqual(['missing-in-db', 'missing-in-memory']);
    // Only the options of the command: timestamps has no --dump.
    expect(complete('ts-audit', 'timestamps', '--du')).toEqual([]);
    expect(text).toContain('complete -o default -F _ts_audit ts-audit');
  });

  it.skipIf(!has('zsh'))('zsh: accepted by zsh, and registers itself with compinit', async () => {
    const { file } = await script('zsh');
    expect(spawnSync('zsh', ['-n', file]).status).toBe(0);
    const r = spawnSync(
      'zsh',
      ['-f', '-c', `autoload -U compinit && compinit -u -d ${tmpdir()}/ts-audit-zcompdump-${process.pid}; source ${file}; print -r -- $_comps[ts-audit]`],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('_ts_audit');
  });

  it.skipIf(!has('fish'))('fish: accepted by fish, and completes commands, formats and check ids', async () => {
    const { file } = await script('fish');
    expect(spawnSync('fish', ['--no-execute', file]).status).toBe(0);
    const complete = (line: string) =>
      spawnSync('fish', ['--no-config', '-c', `source ${file}; complete -C '${line}'`], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n')
        .map((l) => l.split('\t')[0]);
    expect(complete('ts-audit doc')).toEqual(['doctor']);
    expect(complete('ts-audit check --format ')).toEqual(expect.arrayContaining(['sarif', 'github', 'compact']));
    expect(complete('ts-audit explain missing-in')).toEqual(['missing-in-db', 'missing-in-memory']);
  });

  it('an unknown shell is one line, exit 2', async () => {
    expectOneLineError(await cli(['completion', 'tcsh']), 2, /unknown shell "tcsh": expected bash, zsh, fish/);
  });
});

describe('the man page', () => {
  const page = readFileSync(`${ROOT}dist/ts-audit.1`, 'utf8');

  it('is written from the command definitions: every command and every option of diff, and the exit codes', async () => {
    const help = (await cli(['diff', '--help'])).stdout;
    const flags = [...help.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1] as string);
    expect(flags.length).toBeGreaterThan(20);
    for (const flag of flags.filter((f) => f !== '--help')) expect(page).toContain(`\\fB${flag.replace(/-/g, '\\-')}`);
    for (const cmd of ['diff', 'check', 'doctor', 'completion', 'restore', 'watch', 'report', 'logs', 'demo'])
      expect(page).toContain(`.SS "ts\\-audit ${cmd.replace(/-/g, '\\-')}`);
    expect(page).toContain('.SH EXIT STATUS');
    expect(JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).man).toEqual(['./dist/ts-audit.1']);
  });

  it.skipIf(!has('groff'))('renders with groff without a warning', () => {
    const r = spawnSync('groff', ['-man', '-ww', '-z', `${ROOT}dist/ts-audit.1`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
