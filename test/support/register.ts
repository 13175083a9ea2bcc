/**
 * The register officials read (DOMAIN.md, "Register"): no ISO week codes, no UTC timestamps and no
 * English words in what is shown in Bahasa Indonesia. Shared by the email and page tests.
 */
export const ENGLISH_WORDS = [
  'week',
  'weeks',
  'flag',
  'flags',
  'flagged',
  'status',
  'open',
  'resolved',
  'resolve',
  'deadline',
  'acknowledge',
  'acknowledged',
  'escalation',
  'escalated',
  'follow-up',
  'report',
  'digest',
  'reminder',
  'pending',
  'overdue',
];

/** Every register problem in a text, empty when it reads as an Indonesian official letter. */
export function registerProblems(text: string): string[] {
  const problems: string[] = [];
  // Links are addresses, not words: a URL may carry a week as the API spells it.
  text = text.replace(/https?:\/\/\S+/g, ' ');
  for (const m of text.matchAll(/\d{4}-W\d{2}/g)) problems.push(`ISO week code "${m[0]}"`);
  for (const m of text.matchAll(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z/g)) problems.push(`UTC timestamp "${m[0]}"`);
  for (const word of ENGLISH_WORDS) {
    // A whole word, not part of a URL, an email address or a longer word.
    const re = new RegExp(`(^|[^\\p{L}\\-_/.@])${word.replace('-', '[-]')}(?![\\p{L}\\-_@])`, 'giu');
    for (const m of text.matchAll(re)) problems.push(`English word "${m[0].trim()}"`);
  }
  return problems;
}

/** What a reader sees of an HTML document: text without tags, scripts, styles or attribute values. */
export function visibleText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ');
}
