import { randomBytes } from 'node:crypto';
import { jsonReady, preparedJsonOf } from './findings.js';
import type { Report } from './types.js';

/**
 * The report as `JSON.stringify(report, null, 2)` writes it, written as it goes: the findings one by
 * one, never the whole document as one string. Dates serialise as ISO-8601 UTC and decimals as
 * strings through their toJSON.
 */
export function* renderJson(report: Report): Generator<string> {
  // Everything but the findings is small: stringified whole, with a marker where the findings go.
  const marker = `ts-audit-findings-${randomBytes(8).toString('hex')}`;
  const [head, tail] = JSON.stringify({ ...report, findings: marker }, null, 2).split(`"${marker}"`) as [string, string];
  yield head;
  let first = true;
  let batch: unknown[] = [];
  // A batch at a time, stringified at the findings' depth (inside {"x": [...]}) and cut out: one native
  // call per batch instead of a call and a re-indenting replace per finding, which showed on a large check.
  const flush = function* () {
    const text = JSON.stringify({ x: batch }, null, 2);
    yield `${first ? '[' : ','}\n    ${text.slice(BATCH_PREFIX.length, text.length - BATCH_SUFFIX.length)}`;
    first = false;
    batch = [];
  };
  for (const f of report.findings) {
    const prepared = preparedJsonOf(f);
    if (prepared === undefined) {
      batch.push(jsonReady(f));
      if (batch.length === BATCH) yield* flush();
      continue;
    }
    // Its text made when it was found: the problem tagged since, then the closing brace.
    if (batch.length > 0) yield* flush();
    yield `${first ? '[' : ','}\n    ${prepared}${f.problem === undefined ? '' : `,\n      "problem": ${JSON.stringify(f.problem)}`}\n    }`;
    first = false;
  }
  if (batch.length > 0) yield* flush();
  yield first ? '[]' : '\n  ]';
  yield `${tail}\n`;
}

const BATCH = 256;
const BATCH_PREFIX = '{\n  "x": [\n    ';
const BATCH_SUFFIX = '\n  ]\n}';
