import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { en } from './en';
import { es, type Dictionary, type MessageKey } from './es';

export type Language = 'es' | 'en';
export const LANGUAGES: readonly Language[] = ['es', 'en'];
const DICTIONARIES: Record<Language, Dictionary> = { es, en };
const STORAGE_KEY = 'conecta.lang';

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

/** Fills `{name}` placeholders. */
export function format(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in vars ? String(vars[name]) : m,
  );
}

export function isMessageKey(key: string): key is MessageKey {
  return key in es;
}

interface I18nValue {
  lang: Language;
  setLang: (lang: Language) => void;
  t: Translate;
  /** A locale for Intl formatting. */
  locale: string;
}

const I18nContext = createContext<I18nValue | null>(null);

function initialLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'es' || stored === 'en') return stored;
  } catch {
    // Storage can be unavailable (private mode); Spanish is the default anyway.
  }
  return 'es';
}

export function I18nProvider({
  children,
  language,
}: {
  children: ReactNode;
  language?: Language;
}): React.JSX.Element {
  const [lang, setLangState] = useState<Language>(() => language ?? initialLanguage());
  const setLang = useCallback((next: Language) => {
    setLangState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted; still switched for this session.
    }
  }, []);
  // Screen readers, hyphenation and spell checkers read <html lang>: it follows the language,
  // the remembered one included (index.html starts with "es").
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18nValue>(() => {
    const dict = DICTIONARIES[lang];
    return {
      lang,
      setLang,
      locale: lang === 'es' ? 'es-ES' : 'en-GB',
      t: (key, vars) => format(dict[key], vars),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}

export type { MessageKey };
