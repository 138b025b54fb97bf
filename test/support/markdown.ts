// What a reader sees of ts-audit's Markdown: the text with the backslash escapes that keep data from
// becoming markup taken out (a renderer shows `trailing\_stop` as `trailing_stop`).
export const markdownText = (markdown: string) => markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
