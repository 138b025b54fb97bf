// The findings of `ts-audit logs`, from the bot's own log lines (bot-schema.md sections 6 and 8).
import type { CheckInfo } from './types.js';

export const saveFailure: CheckInfo = {
  id: 'save-failure',
  severities: ['critical', 'high'],
  summary: "The logs show this symbol's stop failing to save: critical when the stop never got a row or was activated in memory (or the logs cannot tell), high when only updates of an existing row failed.",
  failureMode:
    "The 2025-10-26 incident: `❌ X: Failed to save TS state: 'NoneType' object has no attribute 'acquire'` while the repository pool was not initialised; the stop stayed in memory and the restart recreated it.",
  repair: 'Fix persistence (the repository pool), then run `ts-audit diff` to see which stops still exist only in memory before restarting.',
};

export const deleteFailure: CheckInfo = {
  id: 'delete-failure',
  severities: ['medium'],
  summary: 'A closed position whose row the bot failed to delete (`Failed to delete TS state for X`, often followed by a false "removed from memory AND database"): the row stays behind.',
  failureMode:
    'When the delete fails the repository logs the error and the manager still logs success. The row stays: a restart restores it onto a reopened position of the symbol, or deletes it for a side mismatch (orphaned-stop and stale-restore find such rows in the database).',
  repair: 'Run `ts-audit orphans` and delete the rows of ended positions while the bot is stopped.',
};

export const creationFailure: CheckInfo = {
  id: 'creation-failure',
  severities: ['high'],
  summary: 'The bot failed to create a stop outside a restart (`Failed to create trailing stop for X ... continuing without TS`, or its timeout): the position trails nothing.',
  failureMode:
    'The current bot raises when the repository pool is not initialised (`Repository pool not initialized!`, RuntimeError), so the stop exists neither in memory nor in the table; the position manager logs the failure and continues without a stop.',
  repair: 'Fix the cause in the logs, then restart the bot (it creates stops for open positions that have none) or recreate the stop; `ts-audit diff` shows the positions that trail nothing.',
};

export const LOG_CHECKS: readonly CheckInfo[] = [saveFailure, deleteFailure, creationFailure];
