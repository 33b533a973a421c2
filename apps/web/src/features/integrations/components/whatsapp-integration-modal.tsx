import { useEffect, useMemo, useState } from 'react';
import { useForm, useWatch, type FieldPath } from 'react-hook-form';
import { Button } from '../../../components/button';
import { CopyButton } from '../../../components/copy-button';
import { Dialog } from '../../../components/dialog';
import { Field, Input } from '../../../components/field';
import { useDemoInfo } from '../../../lib/demo-info';
import { rulesResolver } from '../../../lib/form-resolver';
import { useI18n } from '../../../lib/i18n/i18n';
import { useCreateIntegration } from '../api/create-integration';
import {
  placeErrors,
  placeTestFailure,
  type CredentialField,
  type PlacedErrors,
} from '../api/field-errors';
import { useTestCredentials } from '../api/test-credentials';
import { useTestIntegration } from '../api/test-integration';
import {
  WHATSAPP_FIELD_RULES,
  type ConnectionTestResult,
  type IntegrationStatus,
  type UpdateIntegrationInput,
  type WhatsAppCredentials,
} from '../api/types';
import { useUpdateIntegration } from '../api/update-integration';
import { checkText, metaValueText } from '../api/connection-words';
import { SetupGuide } from './setup-guide';
import { codeWords } from './account-health';

export interface WhatsAppFormValues {
  phoneNumberId: string;
  accessToken: string;
  businessAccountId: string;
  appSecret: string;
  webhookVerifyToken: string;
}

export interface WhatsAppIntegrationModalProps {
  chatbotId: string;
  /** The integration being edited; absent to connect a new number. */
  integration?: IntegrationStatus | null;
  onClose: () => void;
  onSaved?: (integration: IntegrationStatus, created: boolean) => void;
}

const VALIDATION_DELAY_MS = 400;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A URL that a narrow screen wraps after a slash, never inside a word ("api/w|hatsapp"). */
function breakableUrl(url: string): React.ReactNode[] {
  return url
    .split('/')
    .flatMap((part, i, all) => (i < all.length - 1 ? [part, '/', <wbr key={i} />] : [part]));
}

/** A random verify token for Meta's webhook handshake. */
export function generateVerifyToken(length = 32): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
}

/** Meta only calls public HTTPS URLs: not http://, not localhost, not a private address. */
export function isPublicHttpsUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local')) return false;
  if (/^(127\.|10\.|192\.168\.|169\.254\.|0\.)/.test(host)) return false;
  if (/^172\.(1[6-9]|2\d|3[01])\./.test(host)) return false;
  if (host === '::1' || /^f[cd]/i.test(host)) return false;
  return true;
}

function callbackUrlFor(integration?: IntegrationStatus | null): string {
  return integration?.webhook.callbackUrl || `${window.location.origin}/api/whatsapp/webhook`;
}

/** The WhatsApp setup: fields, inline validation after a pause, "Probar conexión", "Guardar". */
export function WhatsAppIntegrationModal({
  chatbotId,
  integration,
  onClose,
  onSaved,
}: WhatsAppIntegrationModalProps): React.JSX.Element {
  const { t } = useI18n();
  const editing = Boolean(integration);
  const [replaceToken, setReplaceToken] = useState(!editing);
  const [showToken, setShowToken] = useState(false);
  const [testResult, setTestResult] = useState<ConnectionTestResult | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const needsToken = !editing || replaceToken;

  const rules = useMemo(
    () =>
      needsToken
        ? WHATSAPP_FIELD_RULES
        : {
            ...WHATSAPP_FIELD_RULES,
            accessToken: { ...WHATSAPP_FIELD_RULES.accessToken, required: false },
          },
    [needsToken],
  );
  const resolver = useMemo(() => rulesResolver<WhatsAppFormValues>(rules, t), [rules, t]);
  const defaults = useMemo<WhatsAppFormValues>(
    () => ({
      phoneNumberId: integration?.phoneNumberId ?? '',
      accessToken: '',
      businessAccountId: integration?.businessAccountId ?? '',
      appSecret: '',
      webhookVerifyToken: integration?.webhook.verifyToken || generateVerifyToken(),
    }),
    [integration],
  );
  const {
    register,
    handleSubmit,
    setValue,
    setError,
    clearErrors,
    trigger,
    subscribe,
    control,
    getValues,
    formState: { errors, dirtyFields },
  } = useForm<WhatsAppFormValues>({
    resolver,
    defaultValues: defaults,
    // Inline validation while typing: an error shows once the user pauses; a fix clears it at once.
    // Leaving a field untouched says nothing (the first field has the focus when the modal opens):
    // a missing value is told at "Probar conexión" or "Guardar".
    mode: 'onChange',
    delayError: VALIDATION_DELAY_MS,
  });

  // A changed credential makes the last connection test stale.
  useEffect(
    () =>
      subscribe({
        formState: { values: true },
        callback: ({ name, type }) => {
          if (name && type === 'change') setTestResult(null);
        },
      }),
    [subscribe],
  );

  const demo = useDemoInfo();
  function fillDemoCredentials(): void {
    if (!demo.data?.enabled) return;
    const opts = { shouldDirty: true, shouldValidate: true };
    setReplaceToken(true);
    setValue('phoneNumberId', demo.data.phoneNumberId, opts);
    setValue('businessAccountId', demo.data.businessAccountId, opts);
    setValue('accessToken', demo.data.accessToken, opts);
    setValue('appSecret', demo.data.appSecret, opts);
  }

  const create = useCreateIntegration();
  const update = useUpdateIntegration();
  const testNew = useTestCredentials();
  const testSaved = useTestIntegration();
  const saving = create.isPending || update.isPending;
  const testing = testNew.isPending || testSaved.isPending;

  function show(placed: PlacedErrors): void {
    for (const [field, message] of Object.entries(placed.fields) as [CredentialField, string][]) {
      setError(field, { type: 'server', message }, { shouldFocus: true });
    }
    setGeneral(placed.general);
  }

  function credentials(values: WhatsAppFormValues): WhatsAppCredentials {
    return {
      phoneNumberId: values.phoneNumberId.trim(),
      accessToken: values.accessToken.trim(),
      businessAccountId: values.businessAccountId.trim(),
      appSecret: values.appSecret.trim() || undefined,
      webhookVerifyToken: values.webhookVerifyToken.trim() || undefined,
    };
  }

  async function runTest(): Promise<void> {
    setGeneral(null);
    setTestResult(null);
    const idsChanged = Boolean(dirtyFields.phoneNumberId || dirtyFields.businessAccountId);
    const fields: FieldPath<WhatsAppFormValues>[] = ['phoneNumberId', 'businessAccountId'];
    if (needsToken) fields.push('accessToken');
    if (!(await trigger(fields, { shouldFocus: true }))) return;
    const onResult = (result: ConnectionTestResult): void => {
      setTestResult(result);
      if (!result.success) show(placeTestFailure(result, t));
    };
    const onError = (error: unknown): void => show(placeErrors(error, t));
    if (integration && !replaceToken) {
      // The stored token, server side: edited ids are tested with it and nothing is saved.
      const { phoneNumberId, businessAccountId } = credentials(getValues());
      testSaved.mutate(
        { id: integration.id, ...(idsChanged ? { phoneNumberId, businessAccountId } : {}) },
        { onSuccess: onResult, onError },
      );
    } else {
      const { phoneNumberId, businessAccountId, accessToken } = credentials(getValues());
      testNew.mutate(
        { phoneNumberId, businessAccountId, accessToken },
        { onSuccess: onResult, onError },
      );
    }
  }

  const onSubmit = handleSubmit(
    (values) => {
      setGeneral(null);
      const creds = credentials(values);
      const onError = (error: unknown): void => show(placeErrors(error, t));
      if (!integration) {
        create.mutate(
          { chatbotId, ...creds },
          { onSuccess: (saved) => onSaved?.(saved, true), onError },
        );
        return;
      }
      const input: UpdateIntegrationInput = {};
      if (dirtyFields.phoneNumberId) input.phoneNumberId = creds.phoneNumberId;
      if (dirtyFields.businessAccountId) input.businessAccountId = creds.businessAccountId;
      if (replaceToken && creds.accessToken) input.accessToken = creds.accessToken;
      if (creds.appSecret) input.appSecret = creds.appSecret;
      if (dirtyFields.webhookVerifyToken && creds.webhookVerifyToken) {
        input.webhookVerifyToken = creds.webhookVerifyToken;
      }
      update.mutate(
        { id: integration.id, input },
        { onSuccess: (saved) => onSaved?.(saved, false), onError },
      );
    },
    () => setGeneral(t('modal.formHasErrors')),
  );

  const verifyToken = useWatch({ control, name: 'webhookVerifyToken' });
  const callbackUrl = callbackUrlFor(integration);
  const details = testResult?.success ? testResult.details : null;

  return (
    <Dialog
      wide
      initialFocus="input[name='phoneNumberId']"
      title={editing ? t('modal.titleEdit') : t('modal.titleCreate')}
      description={t('modal.intro')}
      onClose={onClose}
      closeLabel={t('common.close')}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={() => void runTest()} loading={testing} disabled={saving}>
            {testing ? t('integrations.testing') : t('integrations.testConnection')}
          </Button>
          <Button
            type="submit"
            form="whatsapp-form"
            variant="primary"
            loading={saving}
            disabled={testing}
          >
            {saving ? t('common.saving') : t('modal.save')}
          </Button>
        </>
      }
    >
      <div className="modal-grid">
        <form id="whatsapp-form" className="stack" noValidate onSubmit={onSubmit}>
          {demo.data?.enabled ? (
            <div className="test-result" style={{ background: 'var(--blue-50)' }}>
              <p className="small">
                {t('modal.demoHint', { number: demo.data.displayPhoneNumber })}
              </p>
              <Button size="sm" onClick={fillDemoCredentials}>
                {t('modal.useDemo')}
              </Button>
            </div>
          ) : null}
          <Field
            label={t('modal.phoneNumberId')}
            description={t('modal.phoneNumberIdHint')}
            error={errors.phoneNumberId?.message}
            required
          >
            <Input inputMode="numeric" autoComplete="off" {...register('phoneNumberId')} />
          </Field>

          {needsToken ? (
            <Field
              label={t('modal.accessToken')}
              description={t('modal.accessTokenHint')}
              error={errors.accessToken?.message}
              required
              after={
                <div className="row">
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => setShowToken((s) => !s)}
                    aria-pressed={showToken}
                  >
                    {showToken ? t('modal.hideToken') : t('modal.showToken')}
                  </Button>
                  {editing ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => {
                        setReplaceToken(false);
                        setValue('accessToken', '');
                        clearErrors('accessToken');
                      }}
                    >
                      {t('modal.keepToken')}
                    </Button>
                  ) : null}
                </div>
              }
            >
              <Input
                type={showToken ? 'text' : 'password'}
                autoComplete="new-password"
                spellCheck={false}
                {...register('accessToken')}
              />
            </Field>
          ) : (
            <div className="field">
              <span className="field-label" id="token-current-label">
                {t('modal.accessToken')}
              </span>
              <div className="readonly-value">
                <code className="sentence-value">
                  {t('modal.accessTokenCurrent', { last4: `••••${integration?.tokenLast4 ?? ''}` })}
                </code>
                <Button size="sm" onClick={() => setReplaceToken(true)}>
                  {t('modal.replaceToken')}
                </Button>
              </div>
              {errors.accessToken?.message ? (
                <p className="field-error" role="alert">
                  {errors.accessToken.message}
                </p>
              ) : null}
            </div>
          )}

          <Field
            label={t('modal.businessAccountId')}
            error={errors.businessAccountId?.message}
            required
          >
            <Input inputMode="numeric" autoComplete="off" {...register('businessAccountId')} />
          </Field>

          <Field
            label={t('modal.appSecret')}
            description={
              editing && integration?.hasAppSecret
                ? t('modal.appSecretKeep')
                : t('modal.appSecretHint')
            }
            error={errors.appSecret?.message}
            optionalLabel={t('common.optional')}
          >
            <Input
              type="password"
              autoComplete="new-password"
              spellCheck={false}
              {...register('appSecret')}
            />
          </Field>

          <Field
            label={t('modal.verifyToken')}
            description={t('modal.verifyTokenHint')}
            error={errors.webhookVerifyToken?.message}
            after={
              <div className="row">
                <CopyButton
                  value={verifyToken}
                  label={t('common.copyLabel', { label: t('modal.verifyToken').toLowerCase() })}
                  copiedLabel={t('common.copied')}
                />
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() =>
                    setValue('webhookVerifyToken', generateVerifyToken(), {
                      shouldDirty: true,
                      shouldValidate: true,
                    })
                  }
                >
                  {t('modal.regenerate')}
                </Button>
              </div>
            }
          >
            <Input
              autoComplete="off"
              spellCheck={false}
              className="mono"
              {...register('webhookVerifyToken')}
            />
          </Field>

          <div className="field">
            <span className="field-label" id="callback-url-label">
              {t('modal.callbackUrl')}
            </span>
            <div className="readonly-value">
              <code
                aria-labelledby="callback-url-label"
                data-testid="callback-url"
                className="url-value"
              >
                {breakableUrl(callbackUrl)}
              </code>
              <CopyButton
                value={callbackUrl}
                label={t('common.copyLabel', { label: t('modal.callbackUrl').toLowerCase() })}
                copiedLabel={t('common.copied')}
              />
            </div>
            <p className="field-description">{t('modal.callbackUrlHint')}</p>
            {isPublicHttpsUrl(callbackUrl) ? null : (
              <p className="notice small" role="status">
                {t('modal.callbackNotPublic')}
              </p>
            )}
          </div>

          <div aria-live="polite">
            {details ? (
              <div className="test-result test-result-ok" role="status">
                <strong>✓ {t('integrations.testOk')}</strong>
                <dl>
                  <dt>{t('modal.test.number')}</dt>
                  <dd>{details.phoneNumber ?? '—'}</dd>
                  <dt>{t('modal.test.name')}</dt>
                  <dd>{details.businessName ?? '—'}</dd>
                  <dt>{t('modal.test.quality')}</dt>
                  <dd>
                    {details.qualityRating
                      ? codeWords(t, 'account.quality', details.qualityRating)
                      : '—'}
                  </dd>
                  <dt>{t('modal.test.verification')}</dt>
                  <dd>{metaValueText('verification', details.verificationStatus, t)}</dd>
                </dl>
                {testResult?.checks?.length ? (
                  <ul className="small list-plain" aria-label={t('modal.test.checks')}>
                    {testResult.checks.map((c) => (
                      <li key={c.name}>
                        {c.outcome === 'passed' ? '✓' : c.outcome === 'failed' ? '✕' : '•'}{' '}
                        {checkText(c, t)}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
            ) : null}
          </div>
          {general ? (
            <div className="test-result test-result-fail" role="alert">
              {general}
            </div>
          ) : null}
        </form>
        <SetupGuide />
      </div>
    </Dialog>
  );
}

export default WhatsAppIntegrationModal;
