import { createHmac } from 'node:crypto';
import { FakeGraphApi } from '@conecta/graph-client/testing';
import type { AppConfig } from '../config/app-config';

/** The one demo business the in-process fake knows (ids are fixed; secrets derive from the key). */
export interface DemoCredentials {
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: string;
  appSecret: string;
  displayPhoneNumber: string;
}

export const DEMO_PHONE_NUMBER_ID = '100000000000001';
export const DEMO_BUSINESS_ACCOUNT_ID = '200000000000001';

/**
 * Demo mode's stand-in for Meta: a {@link FakeGraphApi} on a free 127.0.0.1 port. Its token and app
 * secret are derived from the encryption key, so they survive restarts (a saved demo integration
 * keeps working) without being guessable from outside.
 */
export class DemoGraph {
  readonly fake = new FakeGraphApi({ appName: 'Conecta demo' });
  readonly credentials: DemoCredentials;
  #baseUrl = '';

  constructor(config: Pick<AppConfig, 'encryption'>) {
    const derive = (label: string): string =>
      createHmac('sha256', config.encryption.current.key).update(label).digest('hex');
    this.credentials = {
      phoneNumberId: DEMO_PHONE_NUMBER_ID,
      businessAccountId: DEMO_BUSINESS_ACCOUNT_ID,
      accessToken: `EAAdemo${derive('conecta-demo-token').slice(0, 40)}`,
      appSecret: derive('conecta-demo-app-secret').slice(0, 32),
      displayPhoneNumber: '+1 555-010-0100',
    };
    this.fake.addBusiness({
      wabaId: DEMO_BUSINESS_ACCOUNT_ID,
      name: 'Conecta Demo',
      token: this.credentials.accessToken,
      phoneNumbers: [
        {
          id: DEMO_PHONE_NUMBER_ID,
          displayPhoneNumber: this.credentials.displayPhoneNumber,
          verifiedName: 'Conecta Demo',
        },
      ],
    });
  }

  get baseUrl(): string {
    return this.#baseUrl;
  }

  async start(): Promise<string> {
    this.#baseUrl = await this.fake.start();
    return this.#baseUrl;
  }

  stop(): Promise<void> {
    return this.fake.stop();
  }
}
