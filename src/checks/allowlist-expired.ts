import type { ConfigCheck } from './types.js';

/** What a finding carries: the entry that expired. */
type AllowlistExpiredEvidence = { check: string; reason: string; expires: Date | undefined };

const allowlistExpired: ConfigCheck<AllowlistExpiredEvidence> = {
  id: 'allowlist-expired',
  kind: 'config',
  commands: ['any'],
  severities: ['low'],
  summary: 'An allowlist entry in the config has expired and no longer suppresses its finding.',
  failureMode: 'Allowlist entries carry an expiry so that a known finding is looked at again; once expired, the finding it named is reported again.',
  repair: 'Fix what the entry suppressed, or renew the entry with a new `expires` and a reason.',
  evaluate: (entries) =>
    entries.map((e) => ({
      check: allowlistExpired.id,
      severity: 'low',
      exchange: e.exchange ?? '*',
      symbol: e.symbol,
      positionId: null,
      message: `allowlist entry for ${e.check} expired on ${e.expires?.toISOString().slice(0, 10)} and no longer suppresses it (reason was: ${e.reason})`,
      evidence: { check: e.check, reason: e.reason, expires: e.expires },
    })),
};
export default allowlistExpired;
