import { AUTH_RULES, type LoginRequest } from '@conecta/contracts';
import { useMemo } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { Field, Input } from '../../../components/field';
import { isApiError } from '../../../lib/api-client';
import { rulesResolver } from '../../../lib/form-resolver';
import { useI18n } from '../../../lib/i18n/i18n';
import { LanguageSwitcher } from '../../../components/language-switcher';
import { useLogin } from '../api/login';
import { AuthBrand } from './auth-brand';

const RULES = {
  email: AUTH_RULES.email,
  password: AUTH_RULES.password,
};

export function SignInPage(): React.JSX.Element {
  const { t } = useI18n();
  const login = useLogin();
  const resolver = useMemo(() => rulesResolver<LoginRequest>(RULES, t), [t]);
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<LoginRequest>({ resolver, defaultValues: { email: '', password: '' } });

  const failure = login.error
    ? isApiError(login.error) && login.error.status === 429
      ? t('auth.throttled')
      : isApiError(login.error) && (login.error.status === 401 || login.error.status === 400)
        ? t('auth.invalid')
        : t('common.error')
    : null;

  return (
    <main className="signin">
      <Card className="stack">
        <AuthBrand />
        <div className="stack-sm">
          <h1>{t('auth.signIn')}</h1>
          <p className="muted small">{t('auth.welcome')}</p>
        </div>
        <form
          className="stack"
          noValidate
          onSubmit={handleSubmit((values) => login.mutate(values))}
        >
          <Field label={t('auth.email')} error={errors.email?.message} required>
            <Input type="email" autoComplete="username" {...register('email')} />
          </Field>
          <Field label={t('auth.password')} error={errors.password?.message} required>
            <Input type="password" autoComplete="current-password" {...register('password')} />
          </Field>
          {failure ? (
            <p className="field-error" role="alert">
              {failure}
            </p>
          ) : null}
          <Button type="submit" variant="primary" loading={login.isPending}>
            {login.isPending ? t('auth.signingIn') : t('auth.signIn')}
          </Button>
        </form>
        <LanguageSwitcher />
      </Card>
    </main>
  );
}
