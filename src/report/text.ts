// Plain-text renderings of what `queries` and `explain` return.
import type { Explanation, QueryListing, ShownQuery } from './types.js';

export function renderQueryList(listing: QueryListing): string {
  const width = Math.max(...listing.queries.map((q) => q.name.length));
  return `${listing.queries.map((q) => `${q.name.padEnd(width)}  ${q.description}`).join('\n')}\n`;
}

export function renderShownQuery(q: ShownQuery): string {
  const note = q.fromCatalog
    ? ''
    : '-- Rendered without a database: columns are taken as timestamptz. Give --db (or DATABASE_URL) to see\n' +
      "-- naive timestamp columns wrapped in AT TIME ZONE as they are on that database.\n";
  const params = q.parameters.map((p) => `-- ${p.placeholder} = :${p.name} = ${JSON.stringify(p.value)}`).join('\n');
  return `${note}${q.sql.trimEnd()}\n${params ? `${params}\n` : ''}`;
}

export function renderCheckList(checks: Pick<Explanation, 'id' | 'severities' | 'summary'>[]): string {
  const width = Math.max(...checks.map((c) => c.id.length));
  return `${checks.map((c) => `${c.id.padEnd(width)}  ${c.severities.join('/').padEnd(26)}  ${c.summary}`).join('\n')}\n`;
}

const NO_QUERY: Record<Explanation['kind'], string> = {
  diff: 'it compares a state dump with the rows of stop-rows and open-positions',
  database: 'it reads the database',
  logs: "it reads the bot's logs",
  config: 'it reads the configuration file',
};

export function renderExplanation(e: Explanation): string {
  return [
    `${e.id} (${e.severities.join(', ')})`,
    '',
    e.summary,
    '',
    'Failure mode:',
    `  ${e.failureMode}`,
    '',
    'Repair:',
    `  ${e.repair}`,
    '',
    ...(e.thresholds.length ? ['Settings:', ...e.thresholds.map((t) => `  ${t.option} (default ${t.default}): ${t.help}`), ''] : []),
    `Reported by: ${e.commands.map((c) => (c === 'any' ? 'any command' : `ts-audit ${c}`)).join(', ')}`,
    '',
    e.query ? `Query (queries/${e.query.name}.sql):\n\n${e.query.sql.trimEnd()}` : `Query: none; ${NO_QUERY[e.kind]}.`,
    '',
  ].join('\n');
}
