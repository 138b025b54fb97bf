// `ts-audit doctor` as a person reads it (grouped, fitted to the width) and as JSON.
import { Chalk } from 'chalk';
import type { DoctorItem, DoctorReport } from './types.js';
import { ON_CALL_PATH, ON_CALL_STEPS } from '../oncall.js';
import { visible, visibleLines } from './escape.js';
import { detailTable } from './detail-table.js';
import { displayWidth } from './width.js';
import { wrap } from './layout.js';

const SECTIONS: Record<DoctorItem['section'], string> = {
  setup: 'Setup',
  server: 'Server',
  tables: "The bot's tables",
  checks: 'Checks',
  time: 'Time',
  journal: 'Event journal',
  role: 'Role',
};

export function renderDoctor(report: DoctorReport, width: number, colorLevel: 0 | 1 | 2 | 3): string {
  const c = new Chalk({ level: colorLevel });
  const paint = (status: DoctorItem['status'], text: string) =>
    status === 'ok' ? c.green(text) : status === 'warn' ? c.yellow(text) : status === 'fail' ? c.bold.red(text) : c.dim(text);
  const out: string[] = [c.bold(`ts-audit doctor ${report.version}`)];
  // One width for the names of every section, so that the sections line up.
  const nameWidth = Math.min(40, Math.max(...report.items.map((i) => displayWidth(visible(i.name)))));
  for (const section of Object.keys(SECTIONS) as DoctorItem['section'][]) {
    const items = report.items.filter((i) => i.section === section);
    if (items.length === 0) continue;
    out.push('', c.bold(SECTIONS[section]));
    const table = detailTable(
      [
        { header: 'status', cell: (i: DoctorItem) => i.status, minWidth: 4, paint: (t, i) => paint(i.status, t) },
        { header: 'what', cell: (i: DoctorItem) => i.name, max: 40, minWidth: nameWidth },
        { header: 'detail', cell: (i: DoctorItem) => i.detail, flex: true },
      ],
      items,
      width - 2,
      { header: false },
    );
    // A hint (the GRANTs of a read-only role) goes under its item, whole: it is copied, not read.
    let row = 0;
    for (const line of table.lines) {
      if (!line.startsWith(' ') && row > 0) {
        const hint = items[row - 1]?.hint;
        if (hint) out.push(...sql(hint));
      }
      if (!line.startsWith(' ')) row += 1;
      out.push(`  ${line}`);
    }
    const last = items[row - 1]?.hint;
    if (last) out.push(...sql(last));
  }
  out.push('');
  function sql(lines: string[]): string[] {
    // SQL wraps at spaces without changing its meaning; continuation lines are indented. A URL has no
    // space to wrap at and is never cut.
    return lines.flatMap((l) => (/\s/.test(l) ? wrap(l, width - 8) : [l]).map((w, i) => `${i === 0 ? '      ' : '        '}${w}`));
  }
  const verdict =
    report.exitCode === 0
      ? c.green('Everything ts-audit needs works.')
      : report.exitCode === 2
        ? c.bold.red('ts-audit is not configured to reach this database (exit 2).')
        : c.bold.red('ts-audit cannot use this database as it is: see "fail" above (exit 3).');
  out.push(...wrap(visibleLines(verdict), Math.max(width, 40)));
  if (report.exitCode === 0) {
    // What comes next, on call: the path doctor is the first step of.
    const noJournal = report.items.some((i) => i.section === 'journal' && i.status !== 'ok');
    out.push('', ...(ON_CALL_PATH.every((l) => displayWidth(l) <= width) ? ON_CALL_PATH : narrowOnCallPath(width)));
    if (noJournal) out.push(c.yellow('  The event journal here is missing or empty: give --dump FILE in steps 2 and 3.'));
  }
  return `${out.join('\n')}\n`;
}

/**
 * The on-call path for a terminal narrower than its lines: each command whole on its line, what it is
 * for wrapped under it, and the shell command broken at spaces with a backslash, so that it still
 * pastes as one command.
 */
function narrowOnCallPath(width: number): string[] {
  const under = (text: string) => wrap(text, width - 5).map((l) => `     ${l}`);
  const shell = (command: string, first: string, indent: string) =>
    wrap(command, width - indent.length - 2).map((l, i, all) => `${i === 0 ? first : indent}${l}${i < all.length - 1 ? ' \\' : ''}`);
  return [
    ON_CALL_PATH[0] as string,
    ...ON_CALL_STEPS.flatMap((s, i) => [
      // A step with a shell command under it is prose; any other is the command to run.
      ...(s.shell ? wrap(s.command, width - 5).map((l, j) => (j === 0 ? `  ${i + 1}. ${l}` : `     ${l}`)) : shell(s.command, `  ${i + 1}. `, '       ')),
      ...(s.what ? under(s.what) : []),
      ...(s.more ? under(s.more) : []),
      ...(s.shell ? shell(s.shell, '     ', '       ') : []),
    ]),
  ];
}

export function renderDoctorJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
