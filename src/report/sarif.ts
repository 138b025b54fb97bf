// SARIF 2.1.0 (OASIS), as code-scanning dashboards read it: one rule per check that ran, with its
// summary, failure mode and repair as help, and one result per finding. A finding concerns a position
// on an exchange, not a line of code: its location is logical (exchange/symbol). Results are written
// as they are read, like the JSON report.
import { CHECKS, identityKey } from '../checks/index.js';
import { createHash } from 'node:crypto';
import type { Severity } from '../severity.js';
import { VERSION } from '../version.js';
import type { Report } from './types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

export function* renderSarif(report: Report): Generator<string> {
  const ran = Object.keys(report.summary.byCheck);
  const ruleIndex = new Map(ran.map((id, i) => [id, i]));
  const rules = ran.map((id) => {
    const check = CHECKS.find((c) => c.id === id);
    const worst = check?.severities[0] ?? 'high';
    return {
      id,
      name: id,
      shortDescription: { text: check?.summary ?? id },
      fullDescription: { text: check?.failureMode ?? id },
      help: {
        text: `${check?.repair ?? ''} More: ts-audit explain ${id}`,
        markdown: `**Failure mode.** ${check?.failureMode ?? ''}\n\n**Repair.** ${check?.repair ?? ''}\n\n\`ts-audit explain ${id}\``,
      },
      defaultConfiguration: { level: LEVEL[worst] },
      properties: { tags: ['trailing-stop', check?.kind ?? 'database'], severities: check?.severities ?? [] },
    };
  });
  const notifications = [
    ...report.skipped.map((s) => ({ level: 'warning', message: { text: `${s.check} not checked: ${s.reason}` }, descriptor: { id: s.check } })),
    ...report.notes.map((n) => ({ level: 'note', message: { text: n } })),
  ];
  const run = {
    tool: { driver: { name: 'ts-audit', version: VERSION, semanticVersion: VERSION, rules } },
    invocations: [
      {
        executionSuccessful: true,
        endTimeUtc: report.generatedAt.toISOString(),
        ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
      },
    ],
    properties: {
      command: report.command,
      ...(report.database ? { database: report.database.target, snapshotAt: report.database.snapshotAt.toISOString() } : {}),
      summary: report.summary,
    },
    results: [] as unknown[],
  };
  const [head, tail] = JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] }, null, 2).split(
    '"results": []',
  ) as [string, string];
  yield `${head}"results": [`;
  let first = true;
  for (const f of report.findings) {
    const result = {
      ruleId: f.check,
      ...(ruleIndex.has(f.check) ? { ruleIndex: ruleIndex.get(f.check) } : {}),
      level: LEVEL[f.severity],
      message: { text: `${f.exchange}/${f.symbol}: ${f.message}` },
      locations: [{ logicalLocations: [{ name: f.symbol, fullyQualifiedName: `${f.exchange}/${f.symbol}`, kind: 'resource' }] }],
      // Stable across runs: the same finding on the same position is the same alert.
      partialFingerprints: { 'tsAuditFinding/v1': createHash('sha256').update(identityKey(f)).digest('hex') },
      properties: {
        severity: f.severity,
        exchange: f.exchange,
        symbol: f.symbol,
        positionId: f.positionId,
        evidence: f.evidence,
        ...(f.uncertain ? { uncertain: f.uncertain } : {}),
      },
    };
    yield `${first ? '' : ','}\n        ${JSON.stringify(result)}`;
    first = false;
  }
  yield `${first ? '' : '\n      '}]${tail}\n`;
}
