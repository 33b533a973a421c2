import { isMessageKey, type Translate } from '../../../lib/i18n/i18n';

/** Meta's pricing category in words; a category Meta adds later is shown as Meta names it. */
export function categoryWords(category: string, t: Translate): string {
  const key = `usage.category.${category}`;
  return isMessageKey(key) ? t(key) : category;
}
