import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  AUTH_RULES,
  CreatedInvitationResponse,
  InvitationPreview,
  InvitationView,
  Role,
  TeamErrorReason,
  TeamUserView,
} from '@conecta/contracts';
import { AccountsService, checkNewPassword } from '../accounts/accounts.service';
import type { UserRecord } from '../accounts/accounts.types';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { AuthService, LoginResult, sha256 } from '../auth/auth.service';
import { CLOCK, Clock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { InvitationRecord, InvitationsRepository } from './invitations.repository';

function toView(user: UserRecord): TeamUserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    active: user.active,
    createdAt: user.createdAt.toISOString(),
  };
}

function toInvitationView(inv: InvitationRecord): InvitationView {
  return {
    id: inv.id,
    email: inv.email,
    role: inv.role,
    createdBy: inv.createdBy,
    createdAt: inv.createdAt,
    expiresAt: inv.expiresAt,
  };
}

function teamError(reason: TeamErrorReason, message: string): AppError {
  return AppError.conflict(reason, message);
}

/** The people of a workspace: invitations, roles, deactivation and removal. */
@Injectable()
export class TeamService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly accounts: AccountsService,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
    private readonly audit: AuditService,
    private readonly invitations: InvitationsRepository,
  ) {}

  async listUsers(auth: Actor): Promise<TeamUserView[]> {
    return (await this.accounts.listUsers(auth.workspaceId)).map(toView);
  }

  async changeRole(auth: Actor, userId: string, role: Role): Promise<TeamUserView> {
    const user = await this.accounts.getUser(auth.workspaceId, userId);
    if (user.role === role) return toView(user);
    if (user.role === 'admin') await this.keepAnAdmin(auth, user, 'user.role.change');
    const updated = await this.accounts.updateUser(auth.workspaceId, userId, { role });
    await this.record(auth, 'user.role.change', user.id, 'success', { from: user.role, to: role });
    return toView(updated);
  }

  /** Deactivates a user: their sessions end now and their API keys stop working. */
  async deactivate(auth: Actor, userId: string): Promise<TeamUserView> {
    const user = await this.accounts.getUser(auth.workspaceId, userId);
    if (!user.active) return toView(user);
    if (user.role === 'admin') await this.keepAnAdmin(auth, user, 'user.deactivate');
    const updated = await this.accounts.updateUser(auth.workspaceId, userId, {
      deactivatedAt: this.clock.now(),
    });
    const ended = await this.auth.endSessions(user.id);
    await this.record(auth, 'user.deactivate', user.id, 'success', { endedSessions: ended });
    return toView(updated);
  }

  async reactivate(auth: Actor, userId: string): Promise<TeamUserView> {
    const user = await this.accounts.getUser(auth.workspaceId, userId);
    if (user.active) return toView(user);
    const updated = await this.accounts.updateUser(auth.workspaceId, userId, {
      deactivatedAt: null,
    });
    await this.record(auth, 'user.reactivate', user.id, 'success');
    return toView(updated);
  }

  /** Removes a user: their sessions end and the API keys they created are revoked. */
  async remove(auth: Actor, userId: string): Promise<void> {
    const user = await this.accounts.getUser(auth.workspaceId, userId);
    if (user.role === 'admin' && user.active) await this.keepAnAdmin(auth, user, 'user.remove');
    if (!(await this.accounts.deleteUser(auth.workspaceId, user.id))) {
      throw AppError.notFound('User');
    }
    const ended = await this.auth.endSessions(user.id);
    const revokedKeys = await this.apiKeys.revokeCreatedBy(auth.workspaceId, user.id);
    await this.record(auth, 'user.remove', user.id, 'success', {
      email: user.email,
      role: user.role,
      endedSessions: ended,
      revokedKeys,
    });
  }

  async invite(auth: Actor, emailInput: string, role: Role): Promise<CreatedInvitationResponse> {
    const email = emailInput.trim().toLowerCase();
    if (!AUTH_RULES.email.pattern.test(email)) {
      throw AppError.validation([
        { field: 'email', code: 'pattern', message: AUTH_RULES.email.patternMessage },
      ]);
    }
    if (await this.accounts.findCredentialsByEmail(email)) {
      await this.audit.record({
        workspaceId: auth.workspaceId,
        actor: auth,
        action: 'invitation.create',
        outcome: 'failure',
        metadata: { email, role, reason: 'email-taken' },
      });
      throw teamError('EMAIL_TAKEN', 'A user with this email exists');
    }
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const invitation = await this.invitations.create({
      workspaceId: auth.workspaceId,
      email,
      role,
      tokenHash: sha256(token),
      createdBy: auth.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.auth.invitationTtlHours * 3_600_000),
    });
    await this.audit.record({
      workspaceId: auth.workspaceId,
      actor: auth,
      action: 'invitation.create',
      target: { type: 'invitation', id: invitation.id },
      outcome: 'success',
      metadata: { email, role, expiresAt: invitation.expiresAt },
    });
    return { ...toInvitationView(invitation), token };
  }

  async listInvitations(auth: Actor): Promise<InvitationView[]> {
    const pending = await this.invitations.listPending(auth.workspaceId, this.clock.now());
    return pending.map(toInvitationView);
  }

  async revokeInvitation(auth: Actor, invitationId: string): Promise<void> {
    const invitation = await this.invitations.revoke(
      auth.workspaceId,
      invitationId,
      this.clock.now(),
    );
    if (!invitation) throw AppError.notFound('Invitation');
    await this.audit.record({
      workspaceId: auth.workspaceId,
      actor: auth,
      action: 'invitation.revoke',
      target: { type: 'invitation', id: invitation.id },
      outcome: 'success',
      metadata: { email: invitation.email },
    });
  }

  /** What an invitation link offers, or the reason it no longer can be used. */
  async preview(token: string): Promise<InvitationPreview> {
    const invitation = await this.usable(token);
    const workspace = await this.accounts.getWorkspace(invitation.workspaceId);
    return {
      email: invitation.email,
      role: invitation.role,
      workspaceName: workspace.name,
      expiresAt: invitation.expiresAt,
    };
  }

  /** Uses an invitation once: creates the user with their password and signs them in. */
  async accept(token: string, name: string, password: string, ip: string): Promise<LoginResult> {
    checkNewPassword(password, 'password');
    const invitation = await this.usable(token);
    const now = this.clock.now();
    if (!(await this.invitations.claim(invitation.id, now))) {
      throw teamError('INVITATION_USED', 'This invitation was used already');
    }
    let user: UserRecord;
    try {
      user = await this.accounts.createUser({
        workspaceId: invitation.workspaceId,
        email: invitation.email,
        name: name.trim(),
        role: invitation.role,
        password,
      });
    } catch (err) {
      await this.invitations.unclaim(invitation.id);
      throw err;
    }
    await this.invitations.markAccepted(invitation.id, now);
    const actor: Actor = {
      workspaceId: user.workspaceId,
      userId: user.id,
      apiKeyId: null,
      role: user.role,
      ip,
    };
    await this.audit.record({
      workspaceId: user.workspaceId,
      actor,
      actorEmail: user.email,
      action: 'invitation.accept',
      target: { type: 'invitation', id: invitation.id },
      outcome: 'success',
      metadata: { userId: user.id, role: user.role, invitedBy: invitation.createdBy },
    });
    // Sessions expire on the wall clock, like those of the sign-in.
    return this.auth.openSession(user, ip, new Date());
  }

  private async usable(token: string): Promise<InvitationRecord> {
    const invitation = await this.invitations.findByTokenHash(sha256(token));
    if (!invitation || invitation.revokedAt) throw AppError.notFound('Invitation');
    if (invitation.acceptedAt) {
      throw teamError('INVITATION_USED', 'This invitation was used already');
    }
    if (new Date(invitation.expiresAt).getTime() <= this.clock.now().getTime()) {
      throw teamError('INVITATION_EXPIRED', 'This invitation has expired');
    }
    return invitation;
  }

  /** Refuses to take away the workspace's last active admin. */
  private async keepAnAdmin(auth: Actor, user: UserRecord, action: string): Promise<void> {
    if (!user.active) return;
    if ((await this.accounts.countActiveAdmins(auth.workspaceId)) > 1) return;
    await this.record(auth, action, user.id, 'failure', { reason: 'last-admin' });
    throw teamError('LAST_ADMIN', 'The workspace needs at least one active admin');
  }

  private record(
    auth: Actor,
    action: string,
    userId: string,
    outcome: 'success' | 'failure',
    metadata?: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({
      workspaceId: auth.workspaceId,
      actor: auth,
      action,
      target: { type: 'user', id: userId },
      outcome,
      metadata,
    });
  }
}
