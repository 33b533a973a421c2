import { ROLES, type ApiKeyView, type CreatedApiKeyResponse, type Role } from '@conecta/contracts';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { CopyOnceDialog } from '../../../components/copy-once-dialog';
import { EmptyState, ErrorState } from '../../../components/empty-state';
import { Field, Input, Select } from '../../../components/field';
import { SkeletonList } from '../../../components/skeleton';
import { useToast } from '../../../components/toast';
import { errorMessage } from '../../../lib/error-message';
import { dateTime, relativeTime } from '../../../lib/format';
import { rulesResolver } from '../../../lib/form-resolver';
import { useI18n } from '../../../lib/i18n/i18n';
import { CREATE_API_KEY_RULES, useCreateApiKey } from '../api/create-api-key';
import { useApiKeys } from '../api/get-api-keys';
import { useRevokeApiKey } from '../api/revoke-api-key';

export function ApiKeysPanel(): React.JSX.Element {
  const { t, locale } = useI18n();
  const toast = useToast();
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const [created, setCreated] = useState<CreatedApiKeyResponse | null>(null);
  const [toRevoke, setToRevoke] = useState<ApiKeyView | null>(null);
  const resolver = useMemo(
    () => rulesResolver<{ name: string; role: Role }>(CREATE_API_KEY_RULES, t),
    [t],
  );
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors },
  } = useForm<{ name: string; role: Role }>({
    resolver,
    defaultValues: { name: '', role: 'agent' },
  });

  return (
    <Card className="stack" aria-labelledby="api-keys-title">
      <div className="stack-sm">
        <h2 id="api-keys-title">{t('settings.apiKeys')}</h2>
        <p className="muted small">{t('settings.apiKeysHint')}</p>
      </div>
      <form
        className="row"
        style={{ alignItems: 'flex-end' }}
        noValidate
        onSubmit={handleSubmit((v) =>
          create.mutate(
            { name: v.name.trim(), role: v.role },
            {
              onSuccess: (k) => {
                setCreated(k);
                reset();
              },
              onError: (e) => toast(errorMessage(e, t), 'error'),
            },
          ),
        )}
      >
        <div style={{ flex: 1, minWidth: 200 }}>
          <Field label={t('settings.keyName')} error={errors.name?.message} required>
            <Input {...register('name')} />
          </Field>
        </div>
        <Field label={t('settings.keyRole')}>
          <Select {...register('role')}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`auth.role.${role}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" variant="primary" loading={create.isPending}>
          {t('settings.createKey')}
        </Button>
      </form>
      {keys.isPending ? (
        <SkeletonList label={t('common.loading')} rows={2} height={40} />
      ) : keys.isError && !keys.data ? (
        <ErrorState
          message={errorMessage(keys.error, t)}
          onRetry={() => void keys.refetch()}
          retryLabel={t('common.retry')}
        />
      ) : keys.data.length === 0 ? (
        <EmptyState title={t('settings.noKeys')}>{t('settings.noKeysHint')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('settings.keyName')}</th>
                <th scope="col">{t('settings.keyRole')}</th>
                <th scope="col">{t('settings.prefix')}</th>
                <th scope="col">{t('settings.created')}</th>
                <th scope="col">{t('settings.lastUsed')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('settings.revoke')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>{t(`auth.role.${k.role}`)}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>{dateTime(k.createdAt, locale)}</td>
                  <td>{k.lastUsedAt ? relativeTime(k.lastUsedAt, locale) : t('common.never')}</td>
                  <td>
                    {k.revokedAt ? (
                      <Badge tone="neutral">{t('settings.revoked')}</Badge>
                    ) : (
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => setToRevoke(k)}
                        aria-label={`${t('settings.revoke')} ${k.name}`}
                      >
                        {t('settings.revoke')}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {created ? (
        <CopyOnceDialog
          title={t('settings.keyValue')}
          description={t('settings.keyCreated')}
          value={created.key}
          testId="new-api-key"
          doneLabel={t('settings.keyDone')}
          copyLabel={t('common.copyLabel', { label: t('settings.keyValue').toLowerCase() })}
          copiedLabel={t('common.copied')}
          closeLabel={t('common.close')}
          onClose={() => setCreated(null)}
        />
      ) : null}
      {toRevoke ? (
        <ConfirmDialog
          title={t('settings.revokeTitle', { name: toRevoke.name })}
          description={t('settings.revokeBody')}
          confirmLabel={t('settings.revoke')}
          cancelLabel={t('common.cancel')}
          closeLabel={t('common.close')}
          pending={revoke.isPending}
          onClose={() => setToRevoke(null)}
          onConfirm={() =>
            revoke.mutate(toRevoke.id, {
              onSuccess: () => {
                setToRevoke(null);
                toast(t('settings.revokedToast'));
              },
              onError: (e) => toast(errorMessage(e, t), 'error'),
            })
          }
        />
      ) : null}
    </Card>
  );
}
