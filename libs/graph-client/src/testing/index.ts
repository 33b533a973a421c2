export { FakeGraphApi } from './fake-graph-api';
export type {
  AutoStatusOptions,
  FakeBusinessSpec,
  FakeFailure,
  FakeGraphApiOptions,
  FakePhoneNumberSpec,
  FakeScope,
  FakeStatus,
  FakeTokenSpec,
  RecordedRequest,
  SentMessage,
  WebhookDelivery,
} from './fake-graph-api';
export {
  WEBHOOK_KINDS,
  buildFieldWebhook,
  buildInboundMessageWebhook,
  buildInboundTextWebhook,
  buildStatusWebhook,
  buildWebhookEnvelope,
  buildWebhookError,
  newWamid,
  nowSeconds,
} from './fixtures';
export type {
  AccountAlertInput,
  AccountUpdateInput,
  InboundMessageInput,
  QualityUpdateInput,
  TemplateStatusInput,
  TemplateCategoryInput,
  MetaWebhookPayload,
  StatusInput,
  WebhookTarget,
} from './fixtures';
export { metaJsonStringify } from '../webhook/meta-json';
export { VirtualClock } from './virtual-clock';
