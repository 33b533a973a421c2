import {
  CONFLICT_REASONS,
  ERROR_CODES,
  INTEGRATION_ERROR_TYPES,
  type ErrorBody,
} from '@conecta/contracts';
import { render, screen } from '@testing-library/react';
import { ApiError } from './api-client';
import { errorMessage } from './error-message';
import { en } from './i18n/en';
import { es } from './i18n/es';
import { I18nProvider, useI18n, type Language } from './i18n/i18n';

function Message({ error }: { error: unknown }): React.JSX.Element {
  const { t } = useI18n();
  return <p>{errorMessage(error, t)}</p>;
}

function shown(error: unknown, language: Language): string {
  const { unmount } = render(
    <I18nProvider language={language}>
      <Message error={error} />
    </I18nProvider>,
  );
  const text = screen.getByRole('paragraph').textContent ?? '';
  unmount();
  return text;
}

const conflict = (reason: string): ApiError =>
  new ApiError({
    statusCode: 409,
    error: 'CONFLICT',
    message: 'English text from the server',
    details: { reason },
  } satisfies ErrorBody);
const coded = (code: string, statusCode = 422): ApiError =>
  new ApiError({ statusCode, error: code, message: 'English text from the server' });

describe('errorMessage: every code the server can send has its own message', () => {
  it.each(['es', 'en'] as const)('each 409 reason maps to its own %s text', (language) => {
    const dict = language === 'es' ? es : en;
    const texts = CONFLICT_REASONS.map((reason) => shown(conflict(reason), language));
    CONFLICT_REASONS.forEach((reason, i) => expect(texts[i]).toBe(dict[`conflict.${reason}`]));
    expect(new Set(texts).size).toBe(CONFLICT_REASONS.length);
    expect(texts).not.toContain(dict['error.CONFLICT']);
    expect(texts.join(' ')).not.toContain('English text from the server');
  });

  it.each(['es', 'en'] as const)(
    'each error code (422 and the rest) maps to its own %s text',
    (language) => {
      const dict = language === 'es' ? es : en;
      const codes = [...ERROR_CODES, ...INTEGRATION_ERROR_TYPES];
      const texts = codes.map((code) => shown(coded(code), language));
      codes.forEach((code, i) => expect(texts[i]).toBe(dict[`error.${code}`]));
      expect(new Set(texts).size).toBe(codes.length);
    },
  );

  it('the Spanish and English texts differ for every code and reason', () => {
    for (const reason of CONFLICT_REASONS)
      expect(es[`conflict.${reason}`]).not.toBe(en[`conflict.${reason}`]);
    for (const code of [...ERROR_CODES, ...INTEGRATION_ERROR_TYPES])
      expect(es[`error.${code}`]).not.toBe(en[`error.${code}`]);
  });

  it('an unknown code or reason gets a generic sentence, never the server English', () => {
    expect(shown(coded('SOMETHING_NEW'), 'es')).toBe(es['common.error']);
    expect(shown(conflict('SOMETHING_NEW'), 'es')).toBe(es['error.CONFLICT']);
    expect(shown(new Error('boom'), 'en')).toBe(en['common.error']);
  });
});
