import type { AccountHealth, ConnectionDetails } from '@conecta/contracts';
import { isMessageKey, useI18n, type Translate } from '../../../lib/i18n/i18n';

/** The words for one of Meta's codes, or "unknown value": a raw code is never shown. */
export function codeWords(t: Translate, prefix: string, code: string | null | undefined): string {
  const key = code ? `${prefix}.${code}` : '';
  return isMessageKey(key) ? t(key) : t('account.unknown');
}

/** What a restriction stops, or a general sentence for a restriction type Meta adds later. */
export function restrictionWords(t: Translate, type: string): string {
  return isMessageKey(`account.restriction.${type}`)
    ? codeWords(t, 'account.restriction', type)
    : t('account.restriction.other');
}

function formatDate(iso: string, locale: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime())
    ? iso
    : at.toLocaleDateString(locale, { day: 'numeric', month: 'long', year: 'numeric' });
}

/** Meta's expiration: ISO (with a +0000 offset), unix seconds, or words; a date when readable. */
function expiration(value: string, locale: string): string {
  const ms = /^\d+$/.test(value)
    ? Number(value) * 1000
    : Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(ms) ? formatDate(new Date(ms).toISOString(), locale) : value;
}

/**
 * The number's quality as last known: the connection test's rating, unless a quality notice Meta
 * sent after that test flagged it (low) or lifted the flag (the old rating no longer holds).
 */
export function latestQualityRating(
  account: AccountHealth,
  connection: ConnectionDetails | null,
  lastTestedAt: string | null,
): string | null {
  const tested = connection?.qualityRating ?? null;
  const q = account.quality;
  const newer = q !== null && (lastTestedAt === null || q.at > lastTestedAt);
  if (newer && q.event === 'FLAGGED') return 'RED';
  if (newer && q.event === 'UNFLAGGED' && tested === 'RED') return null;
  return tested;
}

/**
 * What Meta's management webhooks said, on the integration card: standing, quality and messaging
 * limit, open alerts; the rest (templates, display name, verification) in a disclosure.
 */
export function AccountHealthSummary({
  account,
  connection,
  lastTestedAt,
}: {
  account: AccountHealth;
  connection: ConnectionDetails | null;
  lastTestedAt: string | null;
}): React.JSX.Element {
  const { t, locale } = useI18n();
  const standing = account.standing;
  const quality = account.quality;
  const rating = latestQualityRating(account, connection, lastTestedAt);
  const hasDetails =
    account.templates.length > 0 ||
    account.displayName !== null ||
    account.verification !== null ||
    account.violation !== null;
  return (
    <section className="stack-sm small" aria-label={t('account.title')}>
      {standing && standing.state !== 'ok' ? (
        <div className="notice" role="status">
          <p>
            <strong>{codeWords(t, 'account.standing', standing.state)}</strong>
          </p>
          {standing.restrictions.length > 0 ? (
            <ul>
              {standing.restrictions.map((r) => (
                <li key={r.type}>
                  {restrictionWords(t, r.type)}
                  {r.expiration
                    ? ` (${t('account.until', { date: expiration(r.expiration, locale) })})`
                    : ''}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {rating || quality ? (
        <dl className="account-dl">
          {rating ? (
            <>
              <dt>{t('account.quality')}</dt>
              <dd>{codeWords(t, 'account.quality', rating)}</dd>
            </>
          ) : null}
          {quality?.limit ? (
            <>
              <dt>{t('account.limit')}</dt>
              <dd>{codeWords(t, 'account.tier', quality.limit)}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {quality ? <p>{codeWords(t, 'account.qualityEvent', quality.event)}</p> : null}
      {account.alerts.length > 0 ? (
        <div>
          <p>
            <strong>{t('account.alerts')}</strong>
          </p>
          <ul>
            {account.alerts.map((a) => (
              <li key={a.type}>
                {isMessageKey(`account.alert.${a.type}`)
                  ? codeWords(t, 'account.alert', a.type)
                  : t('account.alert.other')}
                {a.description ? (
                  <span className="muted"> {t('account.metaSays', { text: a.description })}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {hasDetails ? (
        <details>
          <summary>{t('account.details')}</summary>
          <AccountDetails account={account} />
        </details>
      ) : null}
    </section>
  );
}

function AccountDetails({ account }: { account: AccountHealth }): React.JSX.Element {
  const { t } = useI18n();
  const name = account.displayName;
  const verification = account.verification;
  return (
    <div className="stack-sm">
      {account.violation ? <p>{t('account.violation')}</p> : null}
      {account.templates.length > 0 ? (
        <div>
          <p>
            <strong>{t('account.templates')}</strong>
          </p>
          <ul>
            {account.templates.map((tpl) => {
              const vars = {
                name: tpl.name ?? t('account.unknown'),
                language: tpl.language ?? '—',
                event: codeWords(t, 'account.template', tpl.event),
              };
              const reason =
                tpl.reason && tpl.reason !== 'NONE'
                  ? codeWords(t, 'account.templateReason', tpl.reason)
                  : null;
              return (
                <li key={`${tpl.name ?? ''}:${tpl.language ?? ''}:${tpl.at}`}>
                  {reason
                    ? t('account.templateLineReason', { ...vars, reason })
                    : t('account.templateLine', vars)}
                  {tpl.detail ? (
                    <span className="muted"> {t('account.metaSays', { text: tpl.detail })}</span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
      {name ? (
        <p>
          <strong>{t('account.displayName')}: </strong>
          {isMessageKey(`account.name.${name.decision}`)
            ? t(`account.name.${name.decision}` as 'account.name.APPROVED', {
                name: name.requestedName ?? '—',
              })
            : t('account.unknown')}
          {name.rejectionReason
            ? ` (${codeWords(t, 'account.nameRejection', name.rejectionReason)})`
            : ''}
        </p>
      ) : null}
      {verification ? (
        <p>
          <strong>{t('account.verification')}: </strong>
          {codeWords(t, 'account.verification', verification.status)}
        </p>
      ) : null}
    </div>
  );
}
