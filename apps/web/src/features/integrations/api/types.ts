import {
  INTEGRATION_RULES,
  type CreateWhatsAppIntegrationInput,
  type FieldRule,
  type IntegrationField,
} from '@conecta/contracts';

export type {
  ConnectionTestResult,
  CreateWhatsAppIntegrationInput,
  IntegrationStatus,
  IntegrationStatusValue as IntegrationState,
  TestWhatsAppCredentialsInput,
  UpdateIntegrationInput,
} from '@conecta/contracts';

export type CredentialField = Exclude<IntegrationField, 'chatbotId'>;
export type WhatsAppCredentials = Omit<CreateWhatsAppIntegrationInput, 'chatbotId'>;

/** The shared rules, with the SPA's translated message keys for pattern failures. */
export const WHATSAPP_FIELD_RULES = {
  phoneNumberId: { ...INTEGRATION_RULES.phoneNumberId, patternMessage: 'validation.digits' },
  businessAccountId: {
    ...INTEGRATION_RULES.businessAccountId,
    patternMessage: 'validation.digits',
  },
  accessToken: { ...INTEGRATION_RULES.accessToken, patternMessage: 'validation.token' },
  appSecret: { ...INTEGRATION_RULES.appSecret, patternMessage: 'validation.appSecret' },
  webhookVerifyToken: {
    ...INTEGRATION_RULES.webhookVerifyToken,
    patternMessage: 'validation.verifyToken',
  },
} satisfies Record<CredentialField, FieldRule>;
