/** Deepest nesting any of our bodies needs is 3 (an MPP's tenants' services); this leaves room. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether JSON text nests arrays/objects deeper than `max`, by one pass over the characters
 * (strings skipped). Checked before parsing: a body of `[[[[…` 30,000 levels deep fits in the
 * 64 KiB limit and overflowed the stack in the parser's prototype scan (500 instead of 400).
 */
export function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}
