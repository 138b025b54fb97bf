// Terminal columns: what a text takes on screen (a CJK character or an emoji two, a colour code
// none), and cutting a text at a number of columns without splitting a character. Every table and
// wrapped line measures with these, the measure cli-table3 draws with.
import stringWidth from 'string-width';

const ASCII = /^[\u0020-\u007e]*$/;

/** The columns a text takes in a terminal: wide characters and emoji two, colour codes none. */
export function displayWidth(text: string): number {
  return ASCII.test(text) ? text.length : stringWidth(text);
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The text cut into a head at most `width` columns wide (at least one character) and the rest. */
export function splitAt(text: string, width: number): [string, string] {
  if (ASCII.test(text)) return text.length <= width ? [text, ''] : [text.slice(0, Math.max(1, width)), text.slice(Math.max(1, width))];
  let head = '';
  let used = 0;
  for (const { segment, index } of segmenter.segment(text)) {
    const w = displayWidth(segment);
    if (head && used + w > width) return [head, text.slice(index)];
    head += segment;
    used += w;
  }
  return [head, ''];
}

/** At most `width` columns: a longer text ends in an ellipsis. */
export function cutTo(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  return `${splitAt(text, Math.max(1, width - 1))[0]}…`;
}
