// Text from the database or a dump (a symbol, a message quoting one) is data, not terminal commands.
// Before it reaches a terminal, a CI log or a Markdown page, every control character is shown as an
// escape: an ANSI sequence in a symbol cannot recolour, move the cursor or hide the lines around it,
// and a NUL or a carriage return cannot cut a line short.

// C0 controls, DEL, C1 controls, and the bidirectional overrides that reorder what is shown.
// eslint-disable-next-line no-control-regex -- finding control characters in hostile text is this module's job
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as CONTROL, but a newline is kept
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const escapeOne = (c: string): string => {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** One line of text with every control character (newlines included) escaped. */
export function visible(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** Like visible, but a newline stays a newline (a message's own line breaks, in a wrapped cell). */
export function visibleLines(text: string): string {
  return text.replace(CONTROL_EXCEPT_NEWLINE, escapeOne);
}

/** At most `max` characters (code points): a longer text ends in an ellipsis. */
export function cut(text: string, max: number): string {
  const points = [...text];
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}
