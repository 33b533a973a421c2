import type { ChangePasswordRequest } from '@conecta/contracts';
import { useMemo } from 'react';
import { useForm } from 'react-hook-form';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { Field, Input } from '../../../components/field';
import { useToast } from '../../../components/toast';
import { errorMessage } from '../../../lib/error-message';
import { rulesResolver } from '../../../lib/form-resolver';
import { useI18n } from '../../../lib/i18n/i18n';
import { useSession } from '../../../lib/session';
import { CHANGE_PASSWORD_RULES, useChangePassword } from '../api/change-password';

/** Ajustes → Mi perfil: who I am, and a password change (my other sessions end). */
export function ProfilePanel(): React.JSX.Element {
  const { t } = useI18n();
  const toast = useToast();
  const me = useSession();
  const change = useChangePassword();
  const resolver = useMemo(
    () => rulesResolver<ChangePasswordRequest>(CHANGE_PASSWORD_RULES, t),
    [t],
  );
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors },
  } = useForm<ChangePasswordRequest>({
    resolver,
    defaultValues: { currentPassword: '', newPassword: '' },
  });

  return (
    <Card className="stack" aria-labelledby="profile-title">
      <div className="stack-sm">
        <h2 id="profile-title">{t('profile.title')}</h2>
        {me ? (
          <p className="row small">
            <strong>{me.user.name}</strong>
            <span className="muted">{me.user.email}</span>
            <Badge tone="info">{t(`auth.role.${me.user.role}`)}</Badge>
          </p>
        ) : null}
      </div>
      <form
        className="stack"
        noValidate
        onSubmit={handleSubmit((v) =>
          change.mutate(v, {
            onSuccess: () => {
              reset();
              toast(t('profile.passwordChanged'));
            },
          }),
        )}
      >
        <h3 className="small">{t('profile.changePassword')}</h3>
        <p className="muted small">{t('profile.passwordHint')}</p>
        <div className="row" style={{ alignItems: 'flex-start' }}>
          <div style={{ flex: 1, minWidth: 200 }}>
            <Field
              label={t('profile.currentPassword')}
              error={errors.currentPassword?.message}
              required
            >
              <Input
                type="password"
                autoComplete="current-password"
                {...register('currentPassword')}
              />
            </Field>
          </div>
          <div style={{ flex: 1, minWidth: 200 }}>
            <Field label={t('profile.newPassword')} error={errors.newPassword?.message} required>
              <Input type="password" autoComplete="new-password" {...register('newPassword')} />
            </Field>
          </div>
        </div>
        {change.error ? (
          <p className="field-error" role="alert">
            {errorMessage(change.error, t)}
          </p>
        ) : null}
        <div>
          <Button type="submit" variant="primary" loading={change.isPending}>
            {t('profile.changePassword')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
