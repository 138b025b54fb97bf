// What a reader sees of ts-audit's Markdown: the text with the backslash escapes that keep data from
// becoming markup taken out (a renderer shows `trailing\_stop` as `trailing_stop`).
export const markdownText = (markdown: string) => markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');

/** What a reader sees of rendered HTML: its text, with the entities a renderer writes decoded. */
export const htmlText = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
