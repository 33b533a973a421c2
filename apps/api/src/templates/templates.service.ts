import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import {
  type TemplateSendRequest,
  type TemplateSyncResult,
  type TemplateView,
  templateSlots,
  validateTemplateValues,
} from '@conecta/contracts';
import { GraphApiError, type MessageTemplate } from '@conecta/graph-client';
import type { Actor } from '../common/actor';
import { CLOCK, type Clock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import type { WorkspaceId } from '../common/workspace-id';
import { IntegrationLifecycle } from '../integrations/integration-lifecycle';
import { IntegrationRouting } from '../integrations/integration-routing.service';
import type { ActiveIntegration } from '../integrations/integrations.types';
import { GraphClientFactory } from '../whatsapp-graph/graph-client.factory';
import { type TemplateRecord, TemplatesRepository } from './templates.repository';

/** Meta allows 250 templates per WABA; pages of 100 keep a sync to three calls. */
const PAGE_SIZE = 100;
const MAX_PAGES = 10;

export function toTemplateView(t: TemplateRecord): TemplateView {
  return {
    id: t.id,
    integrationId: t.integrationId,
    name: t.name,
    language: t.language,
    category: t.category,
    status: t.status,
    components: t.components,
    slots: templateSlots(t.components),
    qualityScore: t.qualityScore,
    rejectedReason: t.rejectedReason,
    syncedAt: t.syncedAt.toISOString(),
  };
}

/** The WABA's message templates, per integration: synced from Meta, read from the database. */
@Injectable()
export class TemplatesService implements OnModuleInit {
  private readonly logger = new Logger('Templates');

  constructor(
    private readonly repo: TemplatesRepository,
    private readonly routing: IntegrationRouting,
    private readonly graph: GraphClientFactory,
    private readonly lifecycle: IntegrationLifecycle,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // A new number's templates are there when the team first opens the composer.
    this.lifecycle.onConnected((integration) => this.syncIntegration(integration));
  }

  async list(actor: Actor, integrationId: string): Promise<TemplateView[]> {
    await this.integrationOf(actor.workspaceId, integrationId);
    const rows = await this.repo.list(actor.workspaceId, integrationId);
    return rows.map(toTemplateView);
  }

  /** "Sincronizar": every page of `GET /{waba-id}/message_templates`, then drops what Meta no longer has. */
  async sync(actor: Actor, integrationId: string): Promise<TemplateSyncResult> {
    return this.syncIntegration(await this.integrationOf(actor.workspaceId, integrationId));
  }

  async syncIntegration(integration: ActiveIntegration): Promise<TemplateSyncResult> {
    const client = this.graph.forToken(integration.accessToken);
    const fetched: MessageTemplate[] = [];
    let after: string | undefined;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = await client.listMessageTemplates(integration.businessAccountId, {
          limit: PAGE_SIZE,
          ...(after ? { after } : {}),
        });
        fetched.push(...result.data);
        after = result.nextCursor;
        if (!after) break;
      }
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      throw new AppError(error.errorType, `Meta refused the templates read (${error.errorType})`, {
        errorType: error.errorType,
        ...(error.code !== undefined ? { metaCode: error.code } : {}),
      });
    }
    const syncedAt = this.clock.now();
    let added = 0;
    for (const t of fetched) {
      const isNew = await this.repo.upsert({
        workspaceId: integration.workspaceId,
        integrationId: integration.id,
        businessAccountId: integration.businessAccountId,
        metaId: t.id,
        name: t.name,
        language: t.language,
        category: t.category,
        status: t.status,
        components: t.components,
        qualityScore: t.qualityScore ?? null,
        rejectedReason: t.rejectedReason ?? null,
        syncedAt,
      });
      if (isNew) added++;
    }
    // Only after a complete read: a sync cut short (page cap) must not drop the unseen ones.
    const removed = after
      ? 0
      : await this.repo.removeNotSyncedSince(integration.workspaceId, integration.id, syncedAt);
    this.logger.log(
      { integrationId: integration.id, total: fetched.length, added, removed },
      'templates synced',
    );
    return { total: fetched.length, added, updated: fetched.length - added, removed };
  }

  /**
   * The stored template a send names, or why it cannot be sent: not synced, not approved, or
   * values that do not fit its parameters (count and format, the shared rule).
   */
  async findForSend(
    workspaceId: WorkspaceId,
    integrationId: string,
    request: TemplateSendRequest,
  ): Promise<TemplateRecord> {
    const { name, language } = request;
    const template = await this.repo.find(workspaceId, integrationId, name, language);
    if (!template) {
      throw AppError.conflict('TEMPLATE_NOT_FOUND', `No template ${name} (${language}) is synced`);
    }
    if (template.status !== 'APPROVED') {
      throw AppError.conflict('TEMPLATE_NOT_APPROVED', `Template ${name} is ${template.status}`);
    }
    const problems = validateTemplateValues(template.components, request);
    if (problems.length > 0) throw AppError.validation(problems);
    return template;
  }

  async integrationOf(workspaceId: WorkspaceId, integrationId: string): Promise<ActiveIntegration> {
    const integration = await this.routing.findInWorkspace(workspaceId, integrationId);
    if (!integration) throw AppError.notFound('Integration');
    return integration;
  }
}
