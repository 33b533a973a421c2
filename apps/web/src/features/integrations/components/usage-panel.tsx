import { META_PRICING_URL, type UsageView } from '@conecta/contracts';
import { useId, useState } from 'react';
import { Field, Select } from '../../../components/field';
import { errorMessage } from '../../../lib/error-message';
import { monthName } from '../../../lib/format';
import { useI18n, type Translate } from '../../../lib/i18n/i18n';
import { useIsAdmin } from '../../../lib/session';
import { useUsage } from '../api/get-usage';
import { categoryWords } from './category-words';
import { RateCardEditor } from './rate-card-editor';

function countryWords(callingCode: string | null, t: Translate): string {
  return callingCode ? `+${callingCode}` : t('usage.anyCountry');
}

/** The estimate from the rate card, said to be one, with what had no price. */
function Estimate({ usage }: { usage: UsageView }): React.JSX.Element {
  const { t, locale } = useI18n();
  const estimate = usage.estimate;
  if (!estimate) return <p className="small muted">{t('usage.noEstimate')}</p>;
  const money = (n: number) =>
    new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: estimate.currency,
      maximumFractionDigits: 4,
    }).format(n);
  return (
    <div className="stack-sm">
      <p>
        <strong>{t('usage.estimate', { amount: money(estimate.total) })}</strong>
      </p>
      <p className="small muted">{t('usage.estimateNote')}</p>
      {estimate.unpriced.length > 0 ? (
        <p className="small" role="note">
          {t('usage.unpriced', {
            rows: estimate.unpriced
              .map(
                (u) =>
                  `${categoryWords(u.category, t)} ${countryWords(u.callingCode, t)}: ${u.billable}`,
              )
              .join(' · '),
          })}
        </p>
      ) : null}
    </div>
  );
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
  const { t, locale } = useI18n();
  const id = useId();
  const [months] = useState(() => lastMonths(now()));
  const [month, setMonth] = useState(months[0] ?? '');
  const usage = useUsage(integrationId, month);
  const isAdmin = useIsAdmin();
  const replies = usage.data?.replies;
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <div className="spread">
        <h2 id={`${id}-title`}>{t('usage.title')}</h2>
        <Field label={t('usage.month')}>
          <Select value={month} onChange={(e) => setMonth(e.target.value)}>
            {months.map((m) => (
              <option key={m} value={m}>
                {monthName(m, locale)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {usage.isError && !usage.data ? (
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
            {replies && replies.total > 0 ? (
              <p className="small">
                {t('usage.splitReplies', {
                  split: String(replies.split),
                  total: String(replies.total),
                  percent: String(Math.round((replies.split / replies.total) * 100)),
                  parts: String(replies.parts),
                })}{' '}
                <span className="muted">{t('usage.splitHint')}</span>
              </p>
            ) : null}
            <Estimate usage={usage.data} />
          </>
        )
      ) : null}
      <p className="small muted">
        {t('usage.pricesNote')}{' '}
        <a href={META_PRICING_URL} target="_blank" rel="noreferrer">
          {t('usage.pricesLink')}
        </a>
      </p>
      <RateCardEditor readOnly={!isAdmin} />
    </section>
  );
}
