// The JSON Schema of ts-audit.config.json, derived from the registry: check ids, threshold keys and
// their help. The build writes it to dist/schemas/config.schema.json (shipped, so editors complete the file; a test
// keeps the two equal) and is what loadConfig validates with.
import { CHECKS, THRESHOLDS } from './checks/index.js';
import { LOGICAL_TABLES } from './db/tables.js';
import { SEVERITIES } from './severity.js';

const DURATION = { type: 'string', description: 'a duration: 500ms, 30s, 5m, 6h or 1d (a bare number is seconds)', examples: ['30s'] };
const NAME = { type: 'string', minLength: 1 };
const NAMES = { type: 'array', minItems: 1, items: NAME };

export function configSchema(): Record<string, unknown> {
  const ids = CHECKS.map((c) => c.id);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://ts-audit.dev/schemas/config.schema.json',
    title: 'ts-audit.config.json',
    description: 'Settings of ts-audit. Flags > environment > this file > defaults.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      database: {
        type: 'object',
        additionalProperties: false,
        properties: {
          url: { ...NAME, description: 'postgres:// URL; DATABASE_URL and --db outrank it' },
          schema: { ...NAME, description: "schema holding the bot's tables", default: 'monitoring' },
          tables: { type: 'object', additionalProperties: false, properties: Object.fromEntries(LOGICAL_TABLES.map((t) => [t, { ...NAME, default: t }])) },
          timezone: { ...NAME, description: 'zone the bot wrote naive timestamp columns in (IANA)' },
          statementTimeout: DURATION,
          connectTimeout: DURATION,
          lockTimeout: DURATION,
        },
      },
      statuses: {
        type: 'object',
        additionalProperties: false,
        properties: { open: { ...NAMES, description: 'statuses of an open position' }, ended: { ...NAMES, description: 'statuses of an ended position' } },
      },
      thresholds: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ...Object.fromEntries(THRESHOLDS.map((t) => [t.name, { ...t.schema, description: t.help, default: t.default }])),
          priceTolerance: {
            oneOf: [{ type: 'string' }, { type: 'number', minimum: 0 }],
            description: 'diff: prices closer than this are equal (0.0001 or 0.5%)',
          },
        },
      },
      severity: { type: 'object', propertyNames: { enum: ids }, additionalProperties: { enum: [...SEVERITIES] }, description: 'check id -> severity' },
      disabled: { type: 'array', items: { enum: ids }, description: 'checks not to run' },
      failOn: { enum: [...SEVERITIES, 'none'] },
      allowlist: {
        type: 'array',
        items: {
          type: 'object',
          required: ['check', 'symbol', 'reason'],
          additionalProperties: false,
          properties: {
            check: { enum: ids },
            exchange: NAME,
            symbol: NAME,
            reason: NAME,
            expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}', description: 'a date such as 2026-12-31' },
          },
        },
      },
    },
  };
}
