import {
  CONNECTION_CHECK_NOTES,
  CONNECTION_CHECKS,
  CONNECTION_FAILURE_REASONS,
  type ConnectionCheck,
} from '@conecta/contracts';
import { format, type Translate } from '../../../lib/i18n/i18n';
import { en } from '../../../lib/i18n/en';
import { es } from '../../../lib/i18n/es';
import { checkText, failureReasonText, metaValueText } from './connection-words';

const tr =
  (dict: typeof es | typeof en): Translate =>
  (key, vars) =>
    format(dict[key], vars);
const inEs = tr(es);
const inEn = tr(en);

describe('connection test words (codes → Spanish and English)', () => {
  it.each(CONNECTION_FAILURE_REASONS)('words the failure reason %s in each language', (reason) => {
    const a = failureReasonText(reason, inEs);
    const b = failureReasonText(reason, inEn);
    expect(a.length).toBeGreaterThan(15);
    expect(b.length).toBeGreaterThan(15);
    expect(a).not.toBe(b);
  });

  it('tells a wrong account id from a token without permissions', () => {
    expect(failureReasonText('BUSINESS_ACCOUNT_NOT_FOUND', inEs)).toMatch(/identificador/);
    expect(failureReasonText('BUSINESS_ACCOUNT_NOT_FOUND', inEs)).not.toMatch(/permisos/);
    expect(failureReasonText('TOKEN_LACKS_PERMISSION', inEs)).toMatch(/permisos/);
  });

  it('words every check and outcome, and every note, in each language', () => {
    const checks: ConnectionCheck[] = [
      ...CONNECTION_CHECKS.flatMap((name) =>
        (['passed', 'failed', 'skipped'] as const).map((outcome) => ({ name, outcome })),
      ),
      ...CONNECTION_CHECK_NOTES.map((note) => ({
        name: 'app_subscribed' as const,
        outcome: 'warning' as const,
        note,
        phoneStatus: 'CONNECTED',
        codeVerificationStatus: 'EXPIRED',
      })),
    ];
    for (const check of checks) {
      const a = checkText(check, inEs);
      const b = checkText(check, inEn);
      expect(a).not.toBe(b);
      expect(a).not.toMatch(/\{\w+\}/);
    }
  });

  it("words Meta's values, and shows a value it does not know as Meta wrote it", () => {
    expect(metaValueText('verification', 'VERIFIED', inEs)).toBe('Verificado');
    expect(metaValueText('status', 'CONNECTED', inEn)).toBe('Connected');
    expect(metaValueText('status', 'SOMETHING_NEW', inEs)).toBe('SOMETHING_NEW');
    expect(metaValueText('verification', null, inEs)).toBe('desconocido');
  });
});
