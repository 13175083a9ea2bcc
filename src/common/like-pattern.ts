/** `%text%` for ILIKE, with the text's own `%`, `_` and `\` taken literally (a search box is not a pattern). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
