import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { MeResponse, TeamErrorReason } from '@conecta/contracts';
import type { UserRecord } from '../accounts/accounts.types';
import { AccountsService } from '../accounts/accounts.service';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { Actor } from '../common/actor';
import { burnPasswordCheck, verifyPassword } from './password';
import { SessionsRepository } from './sessions.repository';
import type { WorkspaceId } from '../common/workspace-id';

export const INVALID_LOGIN_MESSAGE = 'Invalid email or password';

export interface LoginResult {
  /** The session cookie's value (only its hash is stored). */
  token: string;
  csrfToken: string;
  expiresAt: Date;
  me: MeResponse;
}

/** Hex sha256 of a bearer token: what is stored instead of the token. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Sign-in, sessions and failed-login throttling. */
@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsRepository,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Signs in. Each attempt first takes a slot of the account's and the IP's failure budget (a
   * unique insert, so parallel attempts cannot exceed it); only then is the password checked. A
   * wrong password keeps the slots, a right one gives them back. Someone guessing at a victim's
   * account spends the account's budget, but not the budget of places the victim signed in from
   * before (see docs/security.md): a correct password from such a place still passes.
   */
  async login(emailInput: string, password: string, ip: string): Promise<LoginResult> {
    const email = emailInput.trim().toLowerCase();
    const now = new Date();
    const source = `${email}|${ip}`;
    const accountKey = (await this.sessions.isKnownSource(source))
      ? `known:${source}`
      : `account:${email}`;
    const slots = await this.takeSlots(
      [
        [`ip:${ip}`, this.config.auth.maxFailuresPerIp],
        [accountKey, this.config.auth.maxFailuresPerAccount],
      ],
      now,
      email,
      ip,
    );

    const user = await this.accounts.findCredentialsByEmail(email);
    const ok = user
      ? await verifyPassword(password, user.passwordHash)
      : (await burnPasswordCheck(password), false);
    if (!user || !ok || !user.active) {
      await this.audit.record({
        workspaceId: user?.workspaceId ?? null,
        actor: null,
        actorEmail: email,
        action: 'auth.login',
        target: user ? { type: 'user', id: user.id } : undefined,
        outcome: 'failure',
        ip,
        metadata: { reason: user && ok ? 'deactivated' : 'invalid-credentials' },
      });
      throw new AppError('UNAUTHORIZED', INVALID_LOGIN_MESSAGE);
    }

    for (const slot of slots) await this.sessions.releaseSlot(slot);
    await this.sessions.clearSlots(accountKey);
    await this.sessions.rememberSource(source, now);
    const result = await this.openSession(user, ip, now);
    await this.audit.record({
      workspaceId: user.workspaceId,
      actor: {
        workspaceId: user.workspaceId,
        userId: user.id,
        apiKeyId: null,
        role: user.role,
        ip,
      },
      actorEmail: email,
      action: 'auth.login',
      target: { type: 'user', id: user.id },
      outcome: 'success',
      ip,
    });
    return result;
  }

  /** Starts a session for a user who proved who they are (a sign-in or an accepted invitation). */
  async openSession(user: UserRecord, ip: string, now: Date): Promise<LoginResult> {
    await this.sessions.deleteExpired(now);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.config.auth.sessionTtlHours * 3_600_000);
    await this.sessions.create({
      tokenHash: sha256(token),
      userId: user.id,
      workspaceId: user.workspaceId,
      ip,
      expiresAt,
    });
    const workspace = await this.accounts.getWorkspace(user.workspaceId);
    return {
      token,
      csrfToken: randomBytes(24).toString('base64url'),
      expiresAt,
      me: {
        user: { id: user.id, email: user.email, name: user.name, role: user.role },
        workspace: { id: workspace.id, name: workspace.name },
      },
    };
  }

  async logout(token: string | undefined, auth: Actor): Promise<void> {
    if (token) await this.sessions.deleteByTokenHash(sha256(token));
    await this.audit.record({
      workspaceId: auth.workspaceId,
      actor: auth,
      action: 'auth.logout',
      target: auth.userId ? { type: 'user', id: auth.userId } : undefined,
      outcome: 'success',
    });
  }

  /** The caller of a session token, or null when unknown, expired, or its user is gone. */
  async authenticateSession(token: string, ip: string): Promise<Actor | null> {
    const tokenHash = sha256(token);
    const session = await this.sessions.findByTokenHash(tokenHash);
    if (!session) return null;
    if (session.expiresAt.getTime() <= Date.now()) {
      await this.sessions.deleteByTokenHash(tokenHash);
      return null;
    }
    const user = await this.accounts.findUserOrNull(session.workspaceId, session.userId);
    if (!user || !user.active) return null;
    return { workspaceId: user.workspaceId, userId: user.id, apiKeyId: null, role: user.role, ip };
  }

  /** Whether a user exists and is active (an API key stops working with its creator). */
  async isUserActive(workspaceId: WorkspaceId, userId: string): Promise<boolean> {
    const user = await this.accounts.findUserOrNull(workspaceId, userId);
    return user?.active === true;
  }

  /** Ends a user's sessions, all of them or all but the one of `exceptToken`. */
  endSessions(userId: string, exceptToken?: string): Promise<number> {
    return this.sessions.deleteForUser(userId, exceptToken ? sha256(exceptToken) : undefined);
  }

  /**
   * Changes the caller's own password: the current one is required; every other session of the
   * user ends, the one making the change stays.
   */
  async changePassword(
    auth: Actor,
    token: string | undefined,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    if (!auth.userId) throw new AppError('FORBIDDEN', 'API keys have no password');
    const user = await this.accounts.findCredentials(auth.workspaceId, auth.userId);
    if (!user) throw AppError.notFound('User');
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      await this.audit.record({
        workspaceId: auth.workspaceId,
        actor: auth,
        action: 'user.password.change',
        target: { type: 'user', id: user.id },
        outcome: 'failure',
        metadata: { reason: 'wrong-password' },
      });
      throw new AppError('FORBIDDEN', 'The current password is not right', {
        reason: 'WRONG_PASSWORD' satisfies TeamErrorReason,
      });
    }
    await this.accounts.setPassword(auth.workspaceId, user.id, newPassword);
    const ended = await this.endSessions(user.id, token);
    await this.audit.record({
      workspaceId: auth.workspaceId,
      actor: auth,
      action: 'user.password.change',
      target: { type: 'user', id: user.id },
      outcome: 'success',
      metadata: { endedSessions: ended },
    });
  }

  async me(auth: Actor): Promise<MeResponse> {
    if (!auth.userId) throw new AppError('NOT_FOUND', 'API keys have no user profile');
    const [user, workspace] = await Promise.all([
      this.accounts.getUser(auth.workspaceId, auth.userId),
      this.accounts.getWorkspace(auth.workspaceId),
    ]);
    return {
      user: { id: user.id, email: user.email, name: user.name, role: user.role },
      workspace: { id: workspace.id, name: workspace.name },
    };
  }

  /** Takes one slot of each key, or gives back what it took and answers 429. */
  private async takeSlots(
    limits: [key: string, max: number][],
    now: Date,
    email: string,
    ip: string,
  ): Promise<string[]> {
    const windowMs = this.config.auth.lockMinutes * 60_000;
    const expiredBefore = new Date(now.getTime() - windowMs);
    const taken: string[] = [];
    for (const [key, max] of limits) {
      const slot = await this.sessions.takeSlot(key, max, now, expiredBefore);
      if (slot.slotId !== null) {
        taken.push(slot.slotId);
        continue;
      }
      for (const id of taken) await this.sessions.releaseSlot(id);
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((slot.freeAt.getTime() + windowMs - now.getTime()) / 1000),
      );
      await this.audit.record({
        workspaceId: null,
        actor: null,
        actorEmail: email,
        action: 'auth.login',
        outcome: 'failure',
        ip,
        metadata: { reason: 'throttled' },
      });
      throw new AppError(
        'TOO_MANY_REQUESTS',
        'Too many failed sign-in attempts. Try again later.',
        {
          retryAfterSeconds,
        },
      );
    }
    return taken;
  }
}
