import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CHATBOT_DEFAULTS } from '@conecta/contracts';
import type { Actor } from '../common/actor';
import { ChatbotsService } from '../chatbots/chatbots.service';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AccountsService } from './accounts.service';

export const DEMO_ADMIN_EMAIL = 'admin@conecta.local';
export const DEMO_CREDENTIALS_FILE = 'demo-credentials.txt';

/**
 * First start: where no user exists, the embedded default creates a demo workspace, admin and
 * chatbot; a configured install creates ADMIN_EMAIL instead. What to tell the operator waits in
 * {@link startupNotice} until the server listens (main.ts prints it last): the demo sign-in on the
 * first start, where it is kept on every later one.
 */
@Injectable()
export class FirstRunService implements OnApplicationBootstrap {
  private readonly logger = new Logger(FirstRunService.name);
  private notice: string | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountsService,
    private readonly chatbots: ChatbotsService,
  ) {}

  /** The line for the operator once the server listens, or null. */
  startupNotice(): string | null {
    return this.notice;
  }

  private get credentialsFile(): string {
    return join(this.config.dataDir, DEMO_CREDENTIALS_FILE);
  }

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.accounts.countUsers()) > 0) {
      if (this.config.embedded && existsSync(this.credentialsFile)) {
        this.notice = `Demo sign-in (${DEMO_ADMIN_EMAIL}) kept in ${this.credentialsFile}`;
      }
      return;
    }
    try {
      if (this.config.admin.email && this.config.admin.password) {
        await this.createAdmin(
          this.config.admin.workspaceName,
          this.config.admin.email,
          this.config.admin.password,
        );
        this.notice = `Created the admin ${this.config.admin.email} (from ADMIN_EMAIL)`;
      } else if (this.config.embedded) {
        await this.createDemo();
      }
    } catch (err) {
      // Another process seeded at the same moment: the unique email index kept it to one.
      if (err instanceof AppError && err.code === 'CONFLICT') return;
      throw err;
    }
  }

  private async createAdmin(
    workspaceName: string,
    email: string,
    password: string,
  ): Promise<Actor> {
    const workspace = await this.accounts.createWorkspace(workspaceName);
    const user = await this.accounts
      .createUser({ workspaceId: workspace.id, email, name: 'Admin', role: 'admin', password })
      .catch(async (err: unknown) => {
        // Processes started together on an empty database (docker compose): one admin wins,
        // the others take their workspace back rather than leave it empty.
        await this.accounts.deleteEmptyWorkspace(workspace.id);
        throw err;
      });
    this.logger.log({ workspaceId: workspace.id, userId: user.id }, 'first admin created');
    return {
      workspaceId: workspace.id,
      userId: user.id,
      apiKeyId: null,
      role: 'admin',
      ip: '127.0.0.1',
    };
  }

  private async createDemo(): Promise<void> {
    const password = randomBytes(12).toString('base64url');
    const auth = await this.createAdmin('Demo', DEMO_ADMIN_EMAIL, password);
    await this.chatbots.create(auth, {
      name: 'Asistente demo',
      language: 'es',
      welcomeMessage:
        '¡Hola! Soy el asistente de la tienda demo. Pregúntame por horarios, envíos o precios.',
      instructions: 'Eres el asistente amable de una tienda. Responde breve y en español.',
      fallbackMessage: CHATBOT_DEFAULTS.es.fallbackMessage,
      faq: [
        {
          keywords: ['horario', 'horarios', 'abren', 'hours', 'open'],
          answer: 'Abrimos de lunes a sábado, de 9:00 a 19:00.',
        },
        {
          keywords: ['envio', 'envios', 'shipping', 'delivery'],
          answer: 'Enviamos a todo el país en 24–48 horas.',
        },
        {
          keywords: ['precio', 'cuanto cuesta', 'price'],
          answer: 'Puedes ver todos los precios en nuestro catálogo.',
        },
      ],
    });
    const file = this.credentialsFile;
    mkdirSync(this.config.dataDir, { recursive: true });
    writeFileSync(file, `email: ${DEMO_ADMIN_EMAIL}\npassword: ${password}\n`, { mode: 0o600 });
    this.notice = `Demo sign-in: ${DEMO_ADMIN_EMAIL} / ${password} (saved in ${file})`;
  }
}
