import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import {
  type TemplateSendRequest,
  type TemplateSyncResult,
  type TemplateView,
  templateSlots,
  validateTemplateValues,
} from '@conecta/contracts';
import { type AccountNotice, GraphApiError, type MessageTemplate } from '@conecta/graph-client';
import type { Actor } from '../common/actor';
import { CLOCK, type Clock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import type { WorkspaceId } from '../common/workspace-id';
import { EventsService } from '../events/events.service';
import { IntegrationLifecycle } from '../integrations/integration-lifecycle';
import { IntegrationRouting } from '../integrations/integration-routing.service';
import type { ActiveIntegration } from '../integrations/integrations.types';
import { GraphClientFactory } from '../whatsapp-graph/graph-client.factory';
import { type TemplateRecord, TemplatesRepository } from './templates.repository';

/** Meta allows 250 templates per WABA; pages of 100 keep a sync to three calls. */
const PAGE_SIZE = 100;
const MAX_PAGES = 10;

/**
 * The stored status a `message_template_status_update` event leaves: REINSTATED is approved again,
 * FLAGGED a quality warning on a template that still sends (its status does not change).
 */
export function statusAfter(event: string): string | undefined {
  if (event === 'REINSTATED' || event === 'UNARCHIVED') return 'APPROVED';
  if (event === 'FLAGGED' || event === 'UNKNOWN') return undefined;
  return event;
}

/** What a template webhook changes on the stored template; null when it changes nothing now. */
export function templateChangeOf(notice: AccountNotice): {
  which: { metaId?: string; name?: string; language?: string };
  change: { status?: string; category?: string; rejectedReason?: string | null };
} | null {
  if (notice.field === 'message_template_status_update') {
    const status = statusAfter(notice.event);
    if (!status) return null;
    return {
      which: { metaId: notice.templateId, name: notice.templateName, language: notice.language },
      change: {
        status,
        ...(notice.category ? { category: notice.category } : {}),
        rejectedReason: status === 'REJECTED' ? (notice.reason ?? 'UNKNOWN') : null,
      },
    };
  }
  if (notice.field === 'template_category_update') {
    // A `correct_category` notice announces a change still to come: nothing changes yet.
    if (!notice.newCategory) return null;
    return {
      which: { metaId: notice.templateId, name: notice.templateName, language: notice.language },
      change: { category: notice.newCategory },
    };
  }
  return null;
}

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
    private readonly events: EventsService,
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
   * Applies a template webhook (status or category change) to each integration's stored copy at
   * once, and tells open dashboards. Returns how many stored templates changed.
   */
  async applyNotice(
    notice: AccountNotice,
    integrations: readonly { id: string; workspaceId: WorkspaceId }[],
  ): Promise<number> {
    const found = templateChangeOf(notice);
    if (!found) return 0;
    let changed = 0;
    for (const integration of integrations) {
      const hit = await this.repo.applyChange(
        integration.workspaceId,
        integration.id,
        found.which,
        found.change,
      );
      if (!hit) continue;
      changed++;
      await this.events.publishTemplates(integration.workspaceId, integration.id);
    }
    return changed;
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
