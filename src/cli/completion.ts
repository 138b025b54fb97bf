// Shell completion scripts, written from the same Commander definitions the CLI runs: every command,
// each command's own options, the values an option takes (formats, severities, shells), check ids
// where a command takes them, and file names where an option takes a path.
import type { Command, Option } from 'commander';
import { CHECKS } from '../checks/index.js';
import { SEVERITIES } from '../severity.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface Spec {
  name: string;
  summary: string;
  options: { long?: string; short?: string; takesValue: boolean; values?: string[]; files: boolean; description: string }[];
  /** Words the command takes as arguments (check ids for check and explain, shells for completion). */
  words: string[];
  /** Its arguments are files (logs). */
  fileArgs: boolean;
}

/** Options whose value is a file or a folder: completed with file names. */
const FILE_OPTIONS = new Set(['--dump', '--output', '--config', '--baseline', '--write-baseline', '--metrics-file', '--dump-log', '--log']);

function optionSpec(o: Option): Spec['options'][number] {
  const takesValue = o.required || o.optional;
  const values = o.argChoices ?? (o.long === '--fail-on' ? [...SEVERITIES, 'none'] : undefined);
  return { long: o.long, short: o.short, takesValue, values, files: FILE_OPTIONS.has(o.long ?? ''), description: o.description };
}

export function specs(program: Command): Spec[] {
  const ids = CHECKS.map((c) => c.id);
  return program.commands
    .filter((c) => c.name() !== 'help')
    .map((c) => ({
      name: c.name(),
      summary: c.summary() || c.description(),
      options: [
        ...c.options.filter((o) => !o.hidden).map(optionSpec),
        { long: '--help', short: '-h', takesValue: false, files: false, description: 'show help' },
      ],
      words:
        c.name() === 'check'
          ? ids.filter((id) => CHECKS.find((x) => x.id === id)?.kind === 'database')
          : c.name() === 'explain'
            ? ids
            : c.name() === 'completion'
              ? [...SHELLS]
              : [],
      fileArgs: c.name() === 'logs',
    }));
}

const flagsOf = (s: Spec) => s.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)));
/** Quoting for single-quoted shell strings. */
const sq = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function bash(all: Spec[]): string {
  const out = [
    '# ts-audit completion for bash. Load it in this shell with:',
    '#   source <(ts-audit completion bash)',
    '# or install it: ts-audit completion bash > /etc/bash_completion.d/ts-audit',
    '_ts_audit() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="${COMP_WORDS[1]}"',
    '  COMPREPLY=()',
    '  if [[ $COMP_CWORD -eq 1 ]]; then',
    `    COMPREPLY=($(compgen -W ${sq(['--help', '--version', ...all.map((s) => s.name)].join(' '))} -- "$cur"))`,
    '    return',
    '  fi',
    '  local opts="" words="" valued="" files=""',
    '  case "$cmd" in',
  ];
  for (const s of all) {
    const valued = s.options.filter((o) => o.takesValue).flatMap((o) => [o.long, o.short].filter(Boolean));
    const files = s.options.filter((o) => o.files).flatMap((o) => [o.long, o.short].filter(Boolean));
    out.push(
      `    ${s.name})`,
      `      opts=${sq(flagsOf(s).join(' '))}`,
      `      words=${sq(s.words.join(' '))}`,
      `      valued=${sq(` ${valued.join(' ')} `)}`,
      `      files=${sq(` ${files.join(' ')} `)}`,
      s.fileArgs ? '      [[ $cur != -* ]] && { COMPREPLY=($(compgen -f -- "$cur")); return; }' : '      :',
      '      ;;',
    );
  }
  out.push('    *) return ;;', '  esac');
  // The value of the option just typed, as the command typed takes it (--format's differ).
  out.push('  case "$cmd $prev" in');
  for (const s of all) {
    for (const o of s.options) {
      if (o.values && o.long) out.push(`    ${sq(`${s.name} ${o.long}`)}) COMPREPLY=($(compgen -W ${sq(o.values.join(' '))} -- "$cur")); return ;;`);
    }
  }
  out.push(
    '  esac',
    '  if [[ $files == *" $prev "* ]]; then COMPREPLY=($(compgen -f -- "$cur")); return; fi',
    '  if [[ $valued == *" $prev "* ]]; then return; fi',
    '  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); return; fi',
    '  [[ -n $words ]] && COMPREPLY=($(compgen -W "$words" -- "$cur"))',
    '}',
    'complete -o default -F _ts_audit ts-audit',
    '',
  );
  return out.join('\n');
}

function zsh(all: Spec[]): string {
  const esc = (text: string) => text.replace(/\\/g, '\\\\').replace(/:/g, '\\:').replace(/'/g, `'\\''`).replace(/\[/g, '\\[').replace(/\]/g, '\\]');
  const out = [
    '#compdef ts-audit',
    '# ts-audit completion for zsh. Load it in this shell (after compinit) with:',
    '#   source <(ts-audit completion zsh)',
    '# or install it as _ts-audit in a folder of $fpath.',
    '_ts_audit() {',
    '  local -a commands',
    `  commands=(${all.map((s) => `'${esc(s.name)}:${esc(s.summary)}'`).join(' ')})`,
    '  if (( CURRENT == 2 )); then',
    "    _describe 'command' commands",
    '    return',
    '  fi',
    '  local cmd=${words[2]}',
    '  shift words',
    '  (( CURRENT-- ))',
    '  case $cmd in',
  ];
  for (const s of all) {
    const specsOf = s.options.map((o) => {
      const names = [o.short, o.long].filter(Boolean) as string[];
      const arg = !o.takesValue ? '' : o.values ? `:value:(${o.values.join(' ')})` : o.files ? ':file:_files' : ':value: ';
      const desc = `[${esc(o.description)}]`;
      return names.length > 1 ? `'(${names.join(' ')})'{${names.join(',')}}'${desc}${arg}'` : `'${names[0]}${desc}${arg}'`;
    });
    const args = s.words.length ? [`'*:argument:(${s.words.join(' ')})'`] : s.fileArgs ? ["'*:file:_files'"] : [];
    out.push(`    ${s.name})`, `      _arguments -s ${[...specsOf, ...args].join(' \\\n        ')}`, '      ;;');
  }
  out.push('  esac', '}', 'compdef _ts_audit ts-audit', '');
  return out.join('\n');
}

function fish(all: Spec[]): string {
  const q = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const out = [
    '# ts-audit completion for fish. Load it with:',
    '#   ts-audit completion fish | source',
    '# or install it: ts-audit completion fish > ~/.config/fish/completions/ts-audit.fish',
    'complete -c ts-audit -f',
    `complete -c ts-audit -n '__fish_use_subcommand' -s h -l help -d ${q('show help')}`,
    `complete -c ts-audit -n '__fish_use_subcommand' -s V -l version -d ${q('print the version')}`,
  ];
  for (const s of all) out.push(`complete -c ts-audit -n '__fish_use_subcommand' -a ${s.name} -d ${q(s.summary)}`);
  for (const s of all) {
    const when = `-n '__fish_seen_subcommand_from ${s.name}'`;
    for (const o of s.options) {
      const names = [o.short ? `-s ${o.short.replace(/^-/, '')}` : '', o.long ? `-l ${o.long.replace(/^--/, '')}` : ''].filter(Boolean).join(' ');
      const arg = !o.takesValue ? '' : o.values ? ` -x -a ${q(o.values.join(' '))}` : o.files ? ' -r -F' : ' -x';
      out.push(`complete -c ts-audit ${when} ${names}${arg} -d ${q(o.description)}`);
    }
    if (s.words.length) out.push(`complete -c ts-audit ${when} -a ${q(s.words.join(' '))}`);
    if (s.fileArgs) out.push(`complete -c ts-audit ${when} -F`);
  }
  return `${out.join('\n')}\n`;
}

export function completionScript(program: Command, shell: Shell): string {
  const all = specs(program);
  return shell === 'bash' ? bash(all) : shell === 'zsh' ? zsh(all) : fish(all);
}
