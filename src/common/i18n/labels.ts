import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Locale } from './locale';

/** Words for codes by group (`rules`, `results`, `states`, `categories`, `words`), one language. */
export type Labels = Record<string, Record<string, string>> & { footer?: string };

let templates: string | undefined;

/**
 * `templates/` at the project root, found from here both under src/ (tests) and dist/src/ (built);
 * looked up once (pages ask for it on every request).
 */
export function templatesDir(): string {
  if (templates) return templates;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'templates', 'labels', 'id.json'))) return (templates = join(dir, 'templates'));
  }
  throw new Error(`templates/labels not found above ${__dirname}`);
}

const cache = new Map<string, Labels>();

/**
 * The one source of words for codes (templates/labels/<locale>.json): emails, pages and report
 * files all read it, so a result or rule is worded the same everywhere.
 */
export function loadLabels(locale: Locale, dir = join(templatesDir(), 'labels')): Labels {
  const file = join(dir, `${locale}.json`);
  let labels = cache.get(file);
  if (!labels) {
    labels = JSON.parse(readFileSync(file, 'utf8')) as Labels;
    cache.set(file, labels);
  }
  return labels;
}

/** `labelOf(labels, 'results', 'active')` → "Aktif"; the code itself when no word is set. */
export function labelOf(labels: Labels, group: string, code: string): string {
  return labels[group]?.[code] ?? code;
}
