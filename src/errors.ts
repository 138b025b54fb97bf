// Errors that end a run with a documented exit code and one line of text. Anything else that is
// thrown is a bug: the CLI reports it as an internal error (exit 4) and shows the stack only with --debug.

export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  database: 3,
  internal: 4,
} as const;

export class TsAuditError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A bad flag, configuration value or argument: exit 2. */
export class UsageError extends TsAuditError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.usage, options);
  }
}

/** A state dump that cannot be read or is not valid: exit 2. */
export class DumpError extends TsAuditError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.usage, options);
  }
}

/** The database could not be reached, refused us, or lacks what the bot's schema should have: exit 3. */
export class DatabaseError extends TsAuditError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.database, options);
  }
}
