import { Inject, Injectable } from '@nestjs/common';
import { type RateCard, type RateCardView, rateCardProblems } from '@conecta/contracts';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { CLOCK, type Clock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import type { WorkspaceId } from '../common/workspace-id';
import { RateCardRepository } from './rate-card.repository';

/** An unsaved card: no prices, so no estimate (Conecta ships none of Meta's rates as facts). */
const EMPTY_CARD: RateCardView = { currency: 'EUR', rates: [], updatedAt: null };

/** The workspace's own prices per delivered message, for the usage view's estimate. */
@Injectable()
export class RateCardService {
  constructor(
    private readonly repo: RateCardRepository,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async get(workspaceId: WorkspaceId): Promise<RateCardView> {
    return (await this.repo.find(workspaceId)) ?? { ...EMPTY_CARD, rates: [] };
  }

  async save(actor: Actor, card: RateCard): Promise<RateCardView> {
    const problems = rateCardProblems(card);
    if (problems.length > 0) throw AppError.validation(problems);
    const rates = card.rates.map((r) => ({
      category: r.category,
      callingCode: r.callingCode ?? null,
      price: r.price,
    }));
    await this.repo.save(actor.workspaceId, { currency: card.currency, rates }, this.clock.now());
    await this.audit.record({
      workspaceId: actor.workspaceId,
      actor,
      // The workspace's own card: the action names it, no target to look up.
      action: 'rateCard.update',
      outcome: 'success',
      metadata: { currency: card.currency, rates: rates.length },
    });
    return this.get(actor.workspaceId);
  }
}
