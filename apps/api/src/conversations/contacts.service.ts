import { Injectable } from '@nestjs/common';
import { maskPhone, PHONE_CHANNELS } from '@conecta/contracts';
import type { Channel, ContactErasureResult, ContactExport } from '@conecta/contracts';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/auth-context';
import { ConversationsService } from './conversations.service';

/** The audit target of a person: the channel and the masked number, never the number itself. */
function contactTarget(channel: Channel, visitorId: string): { type: string; id: string } {
  const label = PHONE_CHANNELS.includes(channel) ? maskPhone(visitorId) : null;
  return { type: 'contact', id: `${channel}:${label ?? `#${visitorId.slice(-6)}`}` };
}

/** Export and erasure of one person's conversations, each recorded in the audit log. */
@Injectable()
export class ContactsService {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly audit: AuditService,
  ) {}

  async export(auth: AuthContext, channel: Channel, visitorId: string): Promise<ContactExport> {
    const data = await this.conversations.exportContact(auth.workspaceId, channel, visitorId);
    await this.audit.record({
      workspaceId: auth.workspaceId,
      actor: auth,
      action: 'contact.export',
      target: contactTarget(channel, visitorId),
      outcome: 'success',
      ip: auth.ip,
      metadata: { conversations: data.conversations.length },
    });
    return data;
  }

  async erase(
    auth: AuthContext,
    channel: Channel,
    visitorId: string,
  ): Promise<ContactErasureResult> {
    const result = await this.conversations.eraseContact(auth.workspaceId, channel, visitorId);
    await this.audit.record({
      workspaceId: auth.workspaceId,
      actor: auth,
      action: 'contact.erase',
      target: contactTarget(channel, visitorId),
      outcome: 'success',
      ip: auth.ip,
      metadata: { ...result },
    });
    return result;
  }
}
