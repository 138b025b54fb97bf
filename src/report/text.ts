// Plain-text renderings of what `queries` and `explain` return, fitted to the width (SQL is never wrapped).
import { detailTable } from './detail-table.js';
import { wrap } from './layout.js';
import type { Explanation, QueryListing, ShownQuery } from './types.js';

export function renderQueryList(listing: QueryListing, width = 80): string {
  const table = detailTable(
    [
      { header: 'query', cell: (q: QueryListing['queries'][number]) => q.name },
      { header: 'what it returns', cell: (q) => q.description, flex: true },
    ],
    listing.queries,
    width,
    { header: false },
  );
  return `${table.lines.join('\n')}\n`;
}

export function renderShownQuery(q: ShownQuery): string {
  const note = q.fromCatalog
    ? ''
    : '-- Rendered without a database: columns are taken as timestamptz. Give --db (or DATABASE_URL) to see\n' +
      '-- naive timestamp columns wrapped in AT TIME ZONE as they are on that database.\n';
  const params = q.parameters.map((p) => `-- ${p.placeholder} = :${p.name} = ${JSON.stringify(p.value)}`).join('\n');
  return `${note}${q.sql.trimEnd()}\n${params ? `${params}\n` : ''}`;
}

export function renderCheckList(checks: Pick<Explanation, 'id' | 'severities' | 'summary'>[], width = 80): string {
  type C = (typeof checks)[number];
  const table = detailTable(
    [
      { header: 'check', cell: (c: C) => c.id },
      { header: 'severities', cell: (c: C) => c.severities.join('/'), drop: 1 },
      { header: 'what it finds', cell: (c: C) => c.summary, flex: true },
    ],
    checks,
    width,
    { header: false },
  );
  return `${table.lines.join('\n')}\n`;
}

const NO_QUERY: Record<Explanation['kind'], string> = {
  diff: 'it compares a state dump with the rows of stop-rows and open-positions',
  database: 'it reads the database',
  logs: "it reads the bot's logs",
  config: 'it reads the configuration file',
};

export function renderExplanation(e: Explanation, width = 80): string {
  const prose = (text: string, indent = '') => wrap(text, width - indent.length).map((l) => `${indent}${l}`);
  return [
    `${e.id} (${e.severities.join(', ')})`,
    '',
    ...prose(e.summary),
    '',
    'Failure mode:',
    ...prose(e.failureMode, '  '),
    '',
    'Repair:',
    ...prose(e.repair, '  '),
    '',
    ...(e.notRescued ? ['Not repaired by ts-audit rescue:', ...prose(e.notRescued, '  '), ''] : []),
    ...(e.thresholds.length ? ['Settings:', ...e.thresholds.flatMap((t) => prose(`${t.option} (default ${t.default}): ${t.help}`, '  ')), ''] : []),
    ...prose(`Reported by: ${e.commands.map((c) => (c === 'any' ? 'any command' : `ts-audit ${c}`)).join(', ')}`),
    '',
    ...(e.query ? [`Query (queries/${e.query.name}.sql):\n\n${e.query.sql.trimEnd()}`] : prose(`Query: none; ${NO_QUERY[e.kind]}.`)),
    '',
  ].join('\n');
}
