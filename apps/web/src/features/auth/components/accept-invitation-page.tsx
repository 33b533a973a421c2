import { AUTH_RULES, type AcceptInvitationRequest } from '@conecta/contracts';
import { useMemo } from 'react';
import { useForm } from 'react-hook-form';
import { Link, Navigate, useParams } from 'react-router';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { Field, Input } from '../../../components/field';
import { LanguageSwitcher } from '../../../components/language-switcher';
import { SkeletonList } from '../../../components/skeleton';
import { isApiError } from '../../../lib/api-client';
import { errorMessage } from '../../../lib/error-message';
import { rulesResolver } from '../../../lib/form-resolver';
import { useI18n } from '../../../lib/i18n/i18n';
import { AuthBrand } from './auth-brand';
import { ACCEPT_RULES, useAcceptInvitation, useInvitationPreview } from '../api/invitation';

type AcceptForm = Omit<AcceptInvitationRequest, 'token'>;

/** `/invitacion/:token`: the invited person chooses a name and password and is signed in. */
export function AcceptInvitationPage(): React.JSX.Element {
  const { t } = useI18n();
  const { token = '' } = useParams();
  const preview = useInvitationPreview(token);
  const accept = useAcceptInvitation();
  const resolver = useMemo(() => rulesResolver<AcceptForm>(ACCEPT_RULES, t), [t]);
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<AcceptForm>({ resolver, defaultValues: { name: '', password: '' } });

  if (accept.isSuccess) return <Navigate to="/conversations" replace />;

  let body: React.JSX.Element;
  if (preview.isPending) {
    body = <SkeletonList label={t('common.loading')} rows={3} height={24} />;
  } else if (preview.isError) {
    const notFound = isApiError(preview.error) && preview.error.status === 404;
    body = (
      <div className="stack">
        <p className="field-error" role="alert">
          {notFound ? t('invite.invalid') : errorMessage(preview.error, t)}
        </p>
        <Link to="/login">{t('invite.goSignIn')}</Link>
      </div>
    );
  } else {
    const p = preview.data;
    body = (
      <>
        <div className="stack-sm">
          <h1>{t('invite.title', { workspace: p.workspaceName })}</h1>
          <p className="muted small">
            {t('invite.intro', { role: t(`auth.role.${p.role}`), email: p.email })}
          </p>
        </div>
        <form
          className="stack"
          noValidate
          onSubmit={handleSubmit((v) =>
            accept.mutate({ token, name: v.name.trim(), password: v.password }),
          )}
        >
          <input type="email" hidden readOnly autoComplete="username" value={p.email} />
          <Field label={t('invite.name')} error={errors.name?.message} required>
            <Input autoComplete="name" {...register('name')} />
          </Field>
          <Field
            label={t('invite.password')}
            description={t('invite.passwordHint', { n: AUTH_RULES.newPassword.minLength })}
            error={errors.password?.message}
            required
          >
            <Input type="password" autoComplete="new-password" {...register('password')} />
          </Field>
          {accept.error ? (
            <p className="field-error" role="alert">
              {errorMessage(accept.error, t)}
            </p>
          ) : null}
          <Button type="submit" variant="primary" loading={accept.isPending}>
            {accept.isPending ? t('invite.accepting') : t('invite.accept')}
          </Button>
        </form>
      </>
    );
  }

  return (
    <main className="signin">
      <Card className="stack">
        <AuthBrand />
        {body}
        <LanguageSwitcher />
      </Card>
    </main>
  );
}
