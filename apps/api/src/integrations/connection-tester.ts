import { Injectable } from '@nestjs/common';
import type {
  ConnectionCheck,
  ConnectionCheckName,
  ConnectionTestResult,
  IntegrationErrorType,
  IntegrationField,
} from '@conecta/contracts';
import {
  GraphApiError,
  type PhoneNumberDetails,
  type WhatsAppGraphClient,
  describeErrorType,
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
  field: IntegrationField | null;
  /** Meta's own token-free words, for logs and the stored error detail. */
  detail: string;
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

const CHECK_MESSAGES: Record<ConnectionCheckName, { passed: string; failed: string }> = {
  phone_number_found: {
    passed: 'The phone number exists and the token can read it.',
    failed: 'The phone number could not be read with this token.',
  },
  phone_number_ready: {
    passed: 'The number is connected and verified.',
    failed: 'The number is not ready to send and receive messages.',
  },
  business_account_access: {
    passed: 'The token can manage the WhatsApp Business Account.',
    failed: 'The token cannot manage the WhatsApp Business Account.',
  },
  phone_number_in_account: {
    passed: 'The number belongs to the WhatsApp Business Account.',
    failed: 'The number does not belong to the WhatsApp Business Account.',
  },
  app_subscribed: {
    passed: 'The app receives this account’s webhooks.',
    failed: 'The app could not be subscribed to this account’s webhooks.',
  },
};

function fieldFor(
  errorType: IntegrationErrorType,
  step: 'phone' | 'account',
  code: number | undefined,
): IntegrationField | null {
  switch (errorType) {
    case 'INVALID_CREDENTIALS':
      return 'accessToken';
    case 'INVALID_PHONE_NUMBER':
    case 'PHONE_NUMBER_MISMATCH':
    case 'PHONE_NOT_REGISTERED':
      return 'phoneNumberId';
    case 'PERMISSION_DENIED':
      // 100/33 on the account: the id is wrong or this token cannot see it.
      return step === 'account' && code === 100 ? 'businessAccountId' : 'accessToken';
    case 'ACCOUNT_RESTRICTED':
      return step === 'account' ? 'businessAccountId' : 'phoneNumberId';
    default:
      return null;
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
      message?: string,
    ) => {
      const text = CHECK_MESSAGES[name];
      checks.push({
        name,
        outcome,
        message: message ?? (outcome === 'passed' ? text.passed : text.failed),
      });
    };
    const skipRest = (from: ConnectionCheckName[]) => {
      for (const name of from) check(name, 'skipped', 'Not checked: an earlier check failed.');
    };
    const fail = (failure: TestFailure, connection: ConnectionDetailsDoc | null): TestOutcome => ({
      result: {
        success: false,
        message: describeErrorType(failure.errorType, 'en'),
        errorType: failure.errorType,
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
      check('phone_number_ready', 'failed', `Meta reports the number as ${phone.status}.`);
      skipRest(restAfter('phone_number_ready', mode));
      return fail(
        {
          errorType: blocking,
          field: 'phoneNumberId',
          detail: `phone number status ${phone.status}`,
          metaCode: null,
          retryAfterMs: null,
        },
        connection,
      );
    }
    const ready =
      (phone.status === undefined || phone.status === 'CONNECTED') &&
      (phone.codeVerificationStatus === undefined || phone.codeVerificationStatus === 'VERIFIED');
    check(
      'phone_number_ready',
      ready ? 'passed' : 'warning',
      ready
        ? undefined
        : `Meta reports status ${phone.status ?? 'unknown'} and code verification ${
            phone.codeVerificationStatus ?? 'unknown'
          }; messages may not flow until it is CONNECTED and VERIFIED.`,
    );
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
            field: 'phoneNumberId',
            detail: 'the phone number is not listed under the business account',
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
        check(
          'app_subscribed',
          'passed',
          'The app was not subscribed; it has been subscribed again.',
        );
        return success(connection, true);
      }
      check('app_subscribed', 'warning', 'Not subscribed yet: saving subscribes the app.');
      return success(connection, false);
    } catch (err) {
      if (mode === 'check') {
        check('app_subscribed', 'warning', 'The subscription could not be read.');
        return success(connection, false);
      }
      check('app_subscribed', 'failed');
      return fail(toFailure(err, 'account'), connection);
    }

    function success(details: ConnectionDetailsDoc, subscribed: boolean): TestOutcome {
      return {
        result: {
          success: true,
          message: 'Connection verified.',
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

function toFailure(err: unknown, step: 'phone' | 'account'): TestFailure {
  if (!(err instanceof GraphApiError)) throw err;
  return {
    errorType: err.errorType,
    field: fieldFor(err.errorType, step, err.code),
    detail: err.message,
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
