/**
 * Texts of a pure function kept by key, a bounded number (cleared when full): pages and emails
 * repeat the same few (a week's name, a deadline, a province) on every row or every email.
 */
export function keptTexts(max = 10_000): (key: string, make: () => string) => string {
  const texts = new Map<string, string>();
  return (key, make) => {
    let text = texts.get(key);
    if (text === undefined) {
      if (texts.size >= max) texts.clear();
      texts.set(key, (text = make()));
    }
    return text;
  };
}
