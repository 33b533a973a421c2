import { WhatsAppGraphClient, type WhatsAppGraphClientOptions } from '@conecta/graph-client';
import { FakeGraphApi } from '@conecta/graph-client/testing';

export const TOKEN = 'EAAJBtestTOKENvalue0123456789abcdefSECRET';
export const OTHER_TOKEN = 'EAAJBotherTOKEN0123456789abcdef';
export const EXPIRED_TOKEN = 'EAAJBexpiredTOKEN0123456789abcdef';
export const MESSAGING_ONLY_TOKEN = 'EAAJBmessagingONLY0123456789abcdef';
export const MANAGEMENT_ONLY_TOKEN = 'EAAJBmanagementONLY0123456789abcdef';

export const WABA_ID = '102290129340398';
export const PHONE_ID = '106540352242922';
export const SECOND_PHONE_ID = '106540352242923';
export const OTHER_WABA_ID = '300000000000001';
export const OTHER_PHONE_ID = '200000000000001';

/** A fake with two businesses and tokens of every kind the tests need. */
export async function startFake(options: ConstructorParameters<typeof FakeGraphApi>[0] = {}) {
  const fake = new FakeGraphApi(options);
  const baseUrl = await fake.start();
  fake.addBusiness({
    wabaId: WABA_ID,
    name: 'Lucky Shrub',
    token: TOKEN,
    phoneNumbers: [
      { id: PHONE_ID, displayPhoneNumber: '+1 555-078-3881', verifiedName: 'Lucky Shrub' },
      {
        id: SECOND_PHONE_ID,
        displayPhoneNumber: '+1 555-078-3882',
        verifiedName: 'Lucky Shrub Two',
        qualityRating: 'YELLOW',
      },
    ],
  });
  fake.addBusiness({
    wabaId: OTHER_WABA_ID,
    name: 'Other Co',
    token: OTHER_TOKEN,
    phoneNumbers: [
      { id: OTHER_PHONE_ID, displayPhoneNumber: '+34 600 000 000', verifiedName: 'Otro' },
    ],
  });
  fake.addToken({ token: EXPIRED_TOKEN, expired: true }, [WABA_ID]);
  fake.addToken({ token: MESSAGING_ONLY_TOKEN, scopes: ['whatsapp_business_messaging'] }, [
    WABA_ID,
  ]);
  fake.addToken({ token: MANAGEMENT_ONLY_TOKEN, scopes: ['whatsapp_business_management'] }, [
    WABA_ID,
  ]);
  return { fake, baseUrl };
}

export function makeClient(
  baseUrl: string,
  options: Partial<WhatsAppGraphClientOptions> = {},
): WhatsAppGraphClient {
  return new WhatsAppGraphClient({
    accessToken: TOKEN,
    baseUrl,
    timeoutMs: 2000,
    ...options,
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40, deadlineMs: 5000, ...options.retry },
  });
}

/** Awaits a promise that must reject and returns the rejection. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
