import { Injectable } from '@nestjs/common';
import type {
  ConnectionCheck,
  ConnectionCheckName,
  ConnectionCheckNote,
  ConnectionFailureReason,
  ConnectionTestResult,
  IntegrationErrorType,
  IntegrationField,
} from '@conecta/contracts';
import {
  GraphApiError,
  metaWordsOf,
  type PhoneNumberDetails,
  type WhatsAppGraphClient,
} from '@conecta/graph-client';
import { GraphClientFactory } from '../whatsapp-graph/graph-client.factory';
import type { ConnectionDetailsDoc } from './integration.schema';

export interface WhatsAppCredentials {
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: string;
}

/**
 * `full`: number, account, membership, then subscribe the app (before saving).
 * `check`: the same, but only read the subscription (unsaved "Test connection").
 * `repair`: the same, subscribing again if the subscription is missing (saved integration).
 * `light`: the number only (the health check; the account's management budget is not polled).
 */
export type TestMode = 'full' | 'check' | 'repair' | 'light';

export interface TestFailure {
  errorType: IntegrationErrorType;
  reason: ConnectionFailureReason;
  field: IntegrationField | null;
  /** Meta's own token-free words (the stored error detail); null when Meta said none. */
  detail: string | null;
  metaCode: number | null;
  retryAfterMs: number | null;
}

export interface TestOutcome {
  result: ConnectionTestResult;
  connection: ConnectionDetailsDoc | null;
  subscribed: boolean;
  failure: TestFailure | null;
}

/** Phone statuses that stop a number from sending and receiving (Meta: must be CONNECTED). */
const BLOCKING_PHONE_STATUS: Record<string, IntegrationErrorType> = {
  BANNED: 'ACCOUNT_RESTRICTED',
  RESTRICTED: 'ACCOUNT_RESTRICTED',
  DISCONNECTED: 'PHONE_NOT_REGISTERED',
  DELETED: 'PHONE_NOT_REGISTERED',
};

const MAX_PHONE_PAGES = 20;

type Step = 'phone' | 'account' | 'subscribe';

/** What a Graph failure at one step means for the form: the reason and the field to fix. */
export function reasonFor(
  errorType: IntegrationErrorType,
  step: Step,
  code: number | undefined,
): { reason: ConnectionFailureReason; field: IntegrationField | null } {
  switch (errorType) {
    case 'INVALID_CREDENTIALS':
      return { reason: 'TOKEN_INVALID', field: 'accessToken' };
    case 'INVALID_PHONE_NUMBER':
      return { reason: 'PHONE_NUMBER_NOT_FOUND', field: 'phoneNumberId' };
    case 'PHONE_NUMBER_MISMATCH':
      return { reason: 'PHONE_NUMBER_NOT_IN_ACCOUNT', field: 'phoneNumberId' };
    case 'PHONE_NOT_REGISTERED':
      return { reason: 'PHONE_NUMBER_NOT_REGISTERED', field: 'phoneNumberId' };
    case 'PERMISSION_DENIED':
      // 100/33 on the account: the id is wrong or the account is not assigned to the token's user.
      return step !== 'phone' && code === 100
        ? { reason: 'BUSINESS_ACCOUNT_NOT_FOUND', field: 'businessAccountId' }
        : { reason: 'TOKEN_LACKS_PERMISSION', field: 'accessToken' };
    case 'ACCOUNT_RESTRICTED':
      return {
        reason: 'ACCOUNT_RESTRICTED',
        field: step === 'phone' ? 'phoneNumberId' : 'businessAccountId',
      };
    case 'RATE_LIMIT_EXCEEDED':
      return { reason: 'RATE_LIMITED', field: null };
    case 'CONNECTION_FAILED':
      return { reason: 'META_UNAVAILABLE', field: null };
    default:
      return { reason: step === 'subscribe' ? 'SUBSCRIPTION_FAILED' : 'UNKNOWN', field: null };
  }
}

/** Runs "Test connection" against the Graph API. Holds no state and never stores anything. */
@Injectable()
export class ConnectionTester {
  constructor(private readonly graph: GraphClientFactory) {}

  async run(credentials: WhatsAppCredentials, mode: TestMode): Promise<TestOutcome> {
    const client = this.graph.forToken(credentials.accessToken);
    const checks: ConnectionCheck[] = [];
    const testedAt = new Date().toISOString();
    const check = (
      name: ConnectionCheckName,
      outcome: ConnectionCheck['outcome'],
      note?: ConnectionCheckNote,
      phone?: PhoneNumberDetails,
    ) => {
      checks.push({
        name,
        outcome,
        ...(note ? { note } : {}),
        ...(phone
          ? {
              phoneStatus: phone.status ?? null,
              codeVerificationStatus: phone.codeVerificationStatus ?? null,
            }
          : {}),
      });
    };
    const skipRest = (from: ConnectionCheckName[]) => {
      for (const name of from) check(name, 'skipped');
    };
    const fail = (failure: TestFailure, connection: ConnectionDetailsDoc | null): TestOutcome => ({
      result: {
        success: false,
        errorType: failure.errorType,
        reason: failure.reason,
        ...(failure.field ? { field: failure.field } : {}),
        ...(connection ? { details: detailsOf(connection) } : {}),
        checks,
        testedAt,
      },
      connection,
      subscribed: false,
      failure,
    });

    // 1. The number exists and the token can read it.
    let phone: PhoneNumberDetails;
    try {
      phone = await client.getPhoneNumber(credentials.phoneNumberId);
    } catch (err) {
      const failure = toFailure(err, 'phone');
      check('phone_number_found', 'failed');
      skipRest(restAfter('phone_number_found', mode));
      return fail(failure, null);
    }
    check('phone_number_found', 'passed');
    let connection = connectionOf(phone, null);
    const blocking = phone.status ? BLOCKING_PHONE_STATUS[phone.status] : undefined;
    if (blocking) {
      check('phone_number_ready', 'failed', 'PHONE_STATUS', phone);
      skipRest(restAfter('phone_number_ready', mode));
      return fail(
        {
          errorType: blocking,
          reason:
            blocking === 'ACCOUNT_RESTRICTED'
              ? 'ACCOUNT_RESTRICTED'
              : 'PHONE_NUMBER_NOT_REGISTERED',
          field: 'phoneNumberId',
          detail: null,
          metaCode: null,
          retryAfterMs: null,
        },
        connection,
      );
    }
    const ready =
      (phone.status === undefined || phone.status === 'CONNECTED') &&
      (phone.codeVerificationStatus === undefined || phone.codeVerificationStatus === 'VERIFIED');
    if (ready) check('phone_number_ready', 'passed');
    else check('phone_number_ready', 'warning', 'PHONE_STATUS', phone);
    if (mode === 'light') return success(connection, false);

    // 2. The token can manage the account.
    try {
      const account = await client.getBusinessAccount(credentials.businessAccountId, [
        'id',
        'name',
      ]);
      connection = connectionOf(phone, account.name ?? null);
      check('business_account_access', 'passed');
    } catch (err) {
      check('business_account_access', 'failed');
      skipRest(['phone_number_in_account', 'app_subscribed']);
      return fail(toFailure(err, 'account'), connection);
    }

    // 3. The number belongs to the account.
    try {
      const found = await this.accountHasNumber(client, credentials);
      if (!found) {
        check('phone_number_in_account', 'failed');
        skipRest(['app_subscribed']);
        return fail(
          {
            errorType: 'PHONE_NUMBER_MISMATCH',
            reason: 'PHONE_NUMBER_NOT_IN_ACCOUNT',
            field: 'phoneNumberId',
            detail: null,
            metaCode: null,
            retryAfterMs: null,
          },
          connection,
        );
      }
      check('phone_number_in_account', 'passed');
    } catch (err) {
      check('phone_number_in_account', 'failed');
      skipRest(['app_subscribed']);
      return fail(toFailure(err, 'account'), connection);
    }

    // 4. Our app receives the account's webhooks.
    try {
      if (mode === 'full') {
        await client.subscribeApp(credentials.businessAccountId);
        check('app_subscribed', 'passed');
        return success(connection, true);
      }
      const apps = await client.getSubscribedApps(credentials.businessAccountId);
      if (apps.length > 0) {
        check('app_subscribed', 'passed');
        return success(connection, true);
      }
      if (mode === 'repair') {
        await client.subscribeApp(credentials.businessAccountId);
        check('app_subscribed', 'passed', 'RESUBSCRIBED');
        return success(connection, true);
      }
      check('app_subscribed', 'warning', 'NOT_SUBSCRIBED_YET');
      return success(connection, false);
    } catch (err) {
      if (mode === 'check') {
        check('app_subscribed', 'warning', 'SUBSCRIPTION_UNREADABLE');
        return success(connection, false);
      }
      check('app_subscribed', 'failed');
      return fail(toFailure(err, 'subscribe'), connection);
    }

    function success(details: ConnectionDetailsDoc, subscribed: boolean): TestOutcome {
      return {
        result: {
          success: true,
          details: detailsOf(details),
          checks,
          testedAt,
        },
        connection: details,
        subscribed,
        failure: null,
      };
    }
  }

  private async accountHasNumber(
    client: WhatsAppGraphClient,
    credentials: WhatsAppCredentials,
  ): Promise<boolean> {
    let after: string | undefined;
    for (let page = 0; page < MAX_PHONE_PAGES; page++) {
      const result = await client.listPhoneNumbers(credentials.businessAccountId, {
        fields: ['id'],
        limit: 100,
        after,
      });
      if (result.data.some((p) => p.id === credentials.phoneNumberId)) return true;
      if (!result.nextCursor) return false;
      after = result.nextCursor;
    }
    return false;
  }
}

function restAfter(name: ConnectionCheckName, mode: TestMode): ConnectionCheckName[] {
  const order: ConnectionCheckName[] =
    mode === 'light'
      ? ['phone_number_found', 'phone_number_ready']
      : [
          'phone_number_found',
          'phone_number_ready',
          'business_account_access',
          'phone_number_in_account',
          'app_subscribed',
        ];
  return order.slice(order.indexOf(name) + 1);
}

function toFailure(err: unknown, step: Step): TestFailure {
  if (!(err instanceof GraphApiError)) throw err;
  return {
    errorType: err.errorType,
    ...reasonFor(err.errorType, step, err.code),
    detail: metaWordsOf(err) ?? null,
    metaCode: err.code ?? null,
    retryAfterMs: err.retryAfterMs ?? null,
  };
}

function connectionOf(
  phone: PhoneNumberDetails,
  businessName: string | null,
): ConnectionDetailsDoc {
  return {
    displayPhoneNumber: phone.displayPhoneNumber ?? null,
    verifiedName: phone.verifiedName ?? null,
    businessName,
    qualityRating: phone.qualityRating ?? null,
    codeVerificationStatus: phone.codeVerificationStatus ?? null,
    phoneStatus: phone.status ?? null,
    platformType: phone.platformType ?? null,
    throughputLevel: phone.throughputLevel ?? null,
    nameStatus: phone.nameStatus ?? null,
  };
}

function detailsOf(c: ConnectionDetailsDoc): NonNullable<ConnectionTestResult['details']> {
  return {
    phoneNumber: c.displayPhoneNumber,
    businessName: c.businessName ?? c.verifiedName,
    verificationStatus: c.codeVerificationStatus,
    qualityRating: c.qualityRating,
    verifiedName: c.verifiedName,
    phoneStatus: c.phoneStatus,
  };
}
