import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LanguageSwitcher } from '../../components/language-switcher';
import { en } from './en';
import { es } from './es';
import { format, I18nProvider, useI18n } from './i18n';

function Title(): React.JSX.Element {
  const { t } = useI18n();
  return <h1>{t('integrations.title')}</h1>;
}

describe('i18n', () => {
  it('speaks Spanish by default and switches to English', async () => {
    const user = userEvent.setup();
    render(
      <I18nProvider>
        <Title />
        <LanguageSwitcher />
      </I18nProvider>,
    );
    expect(screen.getByRole('heading')).toHaveTextContent('Integraciones');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Idioma' }), 'en');
    expect(screen.getByRole('heading')).toHaveTextContent('Integrations');
    expect(document.documentElement.lang).toBe('en');
    expect(window.localStorage.getItem('conecta.lang')).toBe('en');
  });

  it('remembers the language: a reload starts in English with <html lang="en">', () => {
    window.localStorage.setItem('conecta.lang', 'en');
    document.documentElement.lang = 'es';
    render(
      <I18nProvider>
        <Title />
      </I18nProvider>,
    );
    expect(screen.getByRole('heading')).toHaveTextContent('Integrations');
    expect(document.documentElement.lang).toBe('en');
    window.localStorage.removeItem('conecta.lang');
  });

  it('has every Spanish message in English, with the same placeholders', () => {
    for (const key of Object.keys(es) as (keyof typeof es)[]) {
      const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect({ key, vars: vars(en[key]) }).toEqual({ key, vars: vars(es[key]) });
    }
  });

  it('fills placeholders', () => {
    expect(format('Hola {name}, {n}', { name: 'Ana', n: 3 })).toBe('Hola Ana, 3');
  });
});
