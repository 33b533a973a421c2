import { LANGUAGES, useI18n, type Language } from '../lib/i18n/i18n';

const NAMES: Record<Language, string> = { es: 'Español', en: 'English' };

export function LanguageSwitcher(): React.JSX.Element {
  const { lang, setLang, t } = useI18n();
  return (
    <label className="select-chatbot">
      {t('common.language')}
      <select
        className="select"
        value={lang}
        onChange={(e) => setLang(e.target.value === 'en' ? 'en' : 'es')}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
