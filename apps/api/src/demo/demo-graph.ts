import { createHmac } from 'node:crypto';
import type { MessageTemplate } from '@conecta/graph-client';
import { FakeGraphApi } from '@conecta/graph-client/testing';
import type { AppConfig } from '../config/app-config';
import type { WorkspaceId } from '../common/workspace-id';

/**
 * The demo business's approved templates: what an agent can send once the 24-hour window has
 * closed (the demo's template notices name `pedido_listo` too).
 */
export const DEMO_TEMPLATES: MessageTemplate[] = [
  {
    id: '880000000000001',
    name: 'pedido_listo',
    language: 'es',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [
      { type: 'BODY', text: 'Hola {{1}}, tu pedido está listo para recoger.' },
      { type: 'FOOTER', text: 'Conecta Demo' },
    ],
  },
  {
    id: '880000000000002',
    name: 'oferta_semana',
    language: 'es',
    category: 'MARKETING',
    status: 'APPROVED',
    components: [{ type: 'BODY', text: 'Esta semana, {{1}} de descuento en tu próxima compra.' }],
  },
];

/** One workspace's demo business at the in-process fake. */
export interface DemoCredentials {
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: string;
  appSecret: string;
  displayPhoneNumber: string;
}

/**
 * Demo mode's stand-in for Meta: a {@link FakeGraphApi} on a free 127.0.0.1 port. Each workspace
 * gets its own demo business (WABA, number, token and app secret), derived from the encryption key
 * and the workspace id: they survive restarts (a saved demo integration keeps working), cannot be
 * guessed from outside, and a demo webhook signed for one workspace reaches no other. The app
 * secrets differ from the server-wide one, as a real Meta app's would.
 */
export class DemoGraph {
  readonly fake = new FakeGraphApi({ appName: 'Conecta demo' });
  readonly #key: Buffer;
  readonly #registered = new Map<string, DemoCredentials>();
  readonly #secretsByPhone = new Map<string, string>();
  #baseUrl = '';

  constructor(config: Pick<AppConfig, 'encryption'>) {
    this.#key = config.encryption.current.key;
  }

  /** The demo business of one workspace, registered at the fake on first use. */
  credentialsFor(workspaceId: WorkspaceId): DemoCredentials {
    const known = this.#registered.get(workspaceId);
    if (known) return known;
    const derive = (label: string): string =>
      createHmac('sha256', this.#key).update(`conecta-demo:${workspaceId}:${label}`).digest('hex');
    const digits = (label: string): string =>
      BigInt(`0x${derive(label).slice(0, 15)}`)
        .toString()
        .padStart(14, '0')
        .slice(-14);
    const credentials: DemoCredentials = {
      phoneNumberId: `1${digits('phone')}`,
      businessAccountId: `2${digits('waba')}`,
      accessToken: `EAAdemo${derive('token').slice(0, 40)}`,
      appSecret: derive('app-secret').slice(0, 32),
      displayPhoneNumber: '+1 555-010-0100',
    };
    this.fake.addBusiness({
      wabaId: credentials.businessAccountId,
      name: 'Conecta Demo',
      token: credentials.accessToken,
      phoneNumbers: [
        {
          id: credentials.phoneNumberId,
          displayPhoneNumber: credentials.displayPhoneNumber,
          verifiedName: 'Conecta Demo',
        },
      ],
    });
    this.fake.addTemplates(credentials.businessAccountId, DEMO_TEMPLATES);
    this.#registered.set(workspaceId, credentials);
    this.#secretsByPhone.set(credentials.phoneNumberId, credentials.appSecret);
    return credentials;
  }

  /** The app secret that signs the webhooks of a demo number (statuses included). */
  appSecretOf(phoneNumberId: string): string | undefined {
    return this.#secretsByPhone.get(phoneNumberId);
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
