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
  RetestIntegrationInput,
  TestWhatsAppCredentialsInput,
  UpdateIntegrationInput,
} from '@conecta/contracts';

export type CredentialField = Exclude<IntegrationField, 'chatbotId'>;
export type WhatsAppCredentials = Omit<CreateWhatsAppIntegrationInput, 'chatbotId'>;

/** The shared rules of the credentials form (the SPA words them from each rule's `format`). */
export const WHATSAPP_FIELD_RULES = {
  phoneNumberId: INTEGRATION_RULES.phoneNumberId,
  businessAccountId: INTEGRATION_RULES.businessAccountId,
  accessToken: INTEGRATION_RULES.accessToken,
  appSecret: INTEGRATION_RULES.appSecret,
  webhookVerifyToken: INTEGRATION_RULES.webhookVerifyToken,
} satisfies Record<CredentialField, FieldRule>;
