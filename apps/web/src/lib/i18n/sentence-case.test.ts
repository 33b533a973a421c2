import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { en } from './en';
import { es, type MessageKey } from './es';

const SRC = join(__dirname, '../..');

/** Names that keep their capitals inside a sentence (Meta's product and field names among them). */
const PROPER = [
  'WhatsApp Business Account',
  'WhatsApp Business',
  'WhatsApp Manager',
  'Phone Number ID',
  'App Secret',
  'API Setup',
  'WhatsApp',
  'Meta',
  'Conecta',
  'Telegram',
  'OpenAI',
  'Facebook',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx$/.test(name) && !/\.test\.tsx$/.test(name) ? [path] : [];
  });
}

/**
 * Keys whose text names a control for assistive technology: an aria-label, a title, a field's
 * label, or the text of a button.
 */
function accessibleNameKeys(): MessageKey[] {
  const keys = new Set<string>();
  const patterns = [
    /(?:aria-label|title|[a-zA-Z]*[Ll]abel)=\{t\(\s*'([\w.]+)'/g,
    // Navigation entries and menus listed as data: `{ to: '/x', key: 'nav.x' }`.
    /\bkey: '([\w.]+)'/g,
    /\{t\('([\w.]+)'\)\}\s*<\/(?:Button|button)>/g,
  ];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const re of patterns) for (const m of text.matchAll(re)) if (m[1]) keys.add(m[1]);
  }
  for (const key of Object.keys(es)) if (/(?:\.label|Label|\.aria\w*)$/.test(key)) keys.add(key);
  return [...keys].filter((k): k is MessageKey => k in es).sort();
}

/** Words written in Title Case after the first word of a sentence ("Cerrar Sesión", "Send Message"). */
function titleCaseWords(text: string): string[] {
  let plain = text.replace(/\{\w+\}/g, ' ').replace(/«[^»]*»|“[^”]*”|"[^"]*"|\([^)]*\)/g, ' ');
  for (const name of PROPER) plain = plain.split(name).join(' ');
  const words = plain.split(/\s+/).filter(Boolean);
  return words.filter(
    (w, i) => i > 0 && /^[A-ZÁÉÍÓÚÑ][a-záéíóúñü]/.test(w) && !/[.:!?›…]$/.test(words[i - 1] ?? ''),
  );
}

describe('accessible names are in sentence case', () => {
  const keys = accessibleNameKeys();

  it('finds the keys that name buttons and fields', () => {
    expect(keys).toEqual(
      expect.arrayContaining(['auth.signOut', 'nav.label', 'nav.conversations', 'common.close']),
    );
  });

  it.each([
    ['Cerrar Sesión', ['Sesión']],
    ['Send Message', ['Message']],
    ['Cerrar sesión', []],
    ['Conectar WhatsApp Business', []],
    ['Simular mensaje de WhatsApp', []],
    ['Guardado. Abrir ajustes', []],
  ])('the check itself: "%s" has Title Case words %j', (text, words) => {
    expect(titleCaseWords(text)).toEqual(words);
  });

  it.each([
    ['es', es],
    ['en', en],
  ] as const)('in %s', (_lang, dict) => {
    const offenders = keys
      .map((key) => ({ key, text: dict[key], words: titleCaseWords(dict[key]) }))
      .filter((o) => o.words.length > 0);
    expect(offenders).toEqual([]);
  });
});
