import { useId, useState } from 'react';
import { Field, Select } from '../../../components/field';
import { errorMessage } from '../../../lib/error-message';
import { isMessageKey, useI18n, type Translate } from '../../../lib/i18n/i18n';
import { useUsage } from '../api/get-usage';

const PRICING_URL =
  'https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing';

/** Meta's pricing category in words; a category Meta adds later is shown as Meta names it. */
function categoryWords(category: string, t: Translate): string {
  const key = `usage.category.${category}`;
  return isMessageKey(key) ? t(key) : category;
}

/** `2026-11` and the five months before it, newest first (UTC). */
function lastMonths(now: number, count = 6): string[] {
  const d = new Date(now);
  return Array.from({ length: count }, (_, i) => {
    const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1));
    return m.toISOString().slice(0, 7);
  });
}

/**
 * "Coste": what the number sent in a month as Meta counts it for billing (delivered messages by
 * category, billable and free, and who sent them). Prices are Meta's: the panel links to them.
 */
export function UsagePanel({
  integrationId,
  now = Date.now,
}: {
  integrationId: string;
  now?: () => number;
}): React.JSX.Element {
  const { t } = useI18n();
  const id = useId();
  const [months] = useState(() => lastMonths(now()));
  const [month, setMonth] = useState(months[0] ?? '');
  const usage = useUsage(integrationId, month);
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <div className="spread">
        <h2 id={`${id}-title`}>{t('usage.title')}</h2>
        <Field label={t('usage.month')}>
          <Select value={month} onChange={(e) => setMonth(e.target.value)}>
            {months.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {usage.isError ? (
        <p className="small text-danger" role="alert">
          {errorMessage(usage.error, t)}
        </p>
      ) : null}
      {usage.data ? (
        usage.data.totals.delivered === 0 ? (
          <p className="muted">{t('usage.none')}</p>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">{t('usage.byCategory')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('usage.category')}</th>
                    <th scope="col">{t('usage.delivered')}</th>
                    <th scope="col">{t('usage.billable')}</th>
                    <th scope="col">{t('usage.free')}</th>
                  </tr>
                </thead>
                <tbody>
                  {usage.data.byCategory.map((row) => (
                    <tr key={row.category}>
                      <th scope="row">{categoryWords(row.category, t)}</th>
                      <td>{row.delivered}</td>
                      <td>{row.billable}</td>
                      <td>{row.free}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="small">
              {t('usage.bySender', {
                bot: String(usage.data.bySender.bot),
                agent: String(usage.data.bySender.agent),
                template: String(usage.data.bySender.template),
              })}
            </p>
          </>
        )
      ) : null}
      <p className="small muted">
        {t('usage.pricesNote')}{' '}
        <a href={PRICING_URL} target="_blank" rel="noreferrer">
          {t('usage.pricesLink')}
        </a>
      </p>
    </section>
  );
}
