import { labelOf, Labels } from './labels';

/** Fills `{name}` placeholders; `{ratio}` reads "separuh"/"half" at 50% through the `half` word. */
export function fillRuleFact(template: string, values: Record<string, string | number>, half: string): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    if (key === 'share') return values.ratio === 50 ? half : `${values.ratio}%`;
    return String(values[key] ?? '');
  });
}

/** One rule in numbers in the reader's language, or the rule's plain words when it has no numbers. */
export function ruleFactText(labels: Labels, fact: { code: string; values?: Record<string, string | number> }): string {
  const template = labels.ruleFacts?.[fact.code];
  if (!template || !fact.values || !Object.keys(fact.values).length) return labelOf(labels, 'rules', fact.code);
  return fillRuleFact(template, fact.values, labelOf(labels, 'words', 'half'));
}
