import {
  invitationPath,
  ROLES,
  type CreatedInvitationResponse,
  type CreateInvitationRequest,
  type Role,
  type TeamUserView,
} from '@conecta/contracts';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { CopyOnceDialog } from '../../../components/copy-once-dialog';
import { ErrorState } from '../../../components/empty-state';
import { Field, Input, Select } from '../../../components/field';
import { SkeletonList } from '../../../components/skeleton';
import { useToast } from '../../../components/toast';
import { errorMessage } from '../../../lib/error-message';
import { dateTime } from '../../../lib/format';
import { rulesResolver } from '../../../lib/form-resolver';
import { useI18n } from '../../../lib/i18n/i18n';
import { useSession } from '../../../lib/session';
import { useInvitations } from '../api/get-invitations';
import { useUsers } from '../api/get-users';
import {
  INVITE_RULES,
  useChangeRole,
  useCreateInvitation,
  useRemoveUser,
  useRevokeInvitation,
  useSetActive,
} from '../api/team-mutations';

/** The full link of an invitation on this site. */
export function invitationUrl(token: string): string {
  return new URL(invitationPath(token), window.location.origin).toString();
}

/** Ajustes → Equipo: invite with a role, copy the link, change roles, deactivate and remove. */
export function TeamPanel(): React.JSX.Element {
  const { t, locale } = useI18n();
  const toast = useToast();
  const me = useSession();
  const users = useUsers();
  const invitations = useInvitations();
  const invite = useCreateInvitation();
  const revokeInvitation = useRevokeInvitation();
  const changeRole = useChangeRole();
  const setActive = useSetActive();
  const remove = useRemoveUser();
  const [created, setCreated] = useState<CreatedInvitationResponse | null>(null);
  const [toRemove, setToRemove] = useState<TeamUserView | null>(null);
  const resolver = useMemo(() => rulesResolver<CreateInvitationRequest>(INVITE_RULES, t), [t]);
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors },
  } = useForm<CreateInvitationRequest>({ resolver, defaultValues: { email: '', role: 'agent' } });
  const onError = (e: unknown): void => toast(errorMessage(e, t), 'error');

  return (
    <Card className="stack" aria-labelledby="team-title">
      <div className="stack-sm">
        <h2 id="team-title">{t('team.title')}</h2>
        <p className="muted small">{t('team.hint')}</p>
      </div>
      <form
        className="row"
        style={{ alignItems: 'flex-end' }}
        noValidate
        onSubmit={handleSubmit((v) =>
          invite.mutate(
            { email: v.email.trim(), role: v.role },
            {
              onSuccess: (inv) => {
                setCreated(inv);
                reset();
              },
              onError,
            },
          ),
        )}
      >
        <div style={{ flex: 1, minWidth: 220 }}>
          <Field label={t('team.inviteEmail')} error={errors.email?.message} required>
            <Input type="email" autoComplete="off" {...register('email')} />
          </Field>
        </div>
        <Field label={t('team.inviteRole')}>
          <Select {...register('role')}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`auth.role.${role}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" variant="primary" loading={invite.isPending}>
          {t('team.invite')}
        </Button>
      </form>

      <h3 className="small">{t('team.users')}</h3>
      {users.isPending ? (
        <SkeletonList label={t('common.loading')} rows={2} height={40} />
      ) : users.isError && !users.data ? (
        <ErrorState
          message={errorMessage(users.error, t)}
          onRetry={() => void users.refetch()}
          retryLabel={t('common.retry')}
        />
      ) : (
        <div className="table-wrap">
          <table className="table table-middle">
            <thead>
              <tr>
                <th scope="col">{t('team.name')}</th>
                <th scope="col">{t('team.email')}</th>
                <th scope="col">{t('team.role')}</th>
                <th scope="col">{t('team.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('team.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => {
                const self = u.id === me?.user.id;
                return (
                  <tr key={u.id}>
                    <td>
                      {u.name} {self ? <span className="muted small">{t('team.you')}</span> : null}
                    </td>
                    <td>{u.email}</td>
                    <td>
                      <Select
                        aria-label={t('team.changeRole', { name: u.name })}
                        value={u.role}
                        disabled={changeRole.isPending}
                        onChange={(e) =>
                          changeRole.mutate(
                            { id: u.id, role: e.target.value as Role },
                            { onSuccess: () => toast(t('team.roleChanged')), onError },
                          )
                        }
                      >
                        {ROLES.map((role) => (
                          <option key={role} value={role}>
                            {t(`auth.role.${role}`)}
                          </option>
                        ))}
                      </Select>
                    </td>
                    <td>
                      <Badge tone={u.active ? 'success' : 'neutral'} dot>
                        {u.active ? t('team.active') : t('team.deactivated')}
                      </Badge>
                    </td>
                    <td>
                      {self ? null : (
                        <div className="row" style={{ justifyContent: 'flex-end' }}>
                          <Button
                            size="sm"
                            variant="ghost"
                            aria-label={`${u.active ? t('team.deactivate') : t('team.reactivate')} ${u.name}`}
                            onClick={() =>
                              setActive.mutate(
                                { id: u.id, active: !u.active },
                                {
                                  onSuccess: () =>
                                    toast(
                                      t(
                                        u.active
                                          ? 'team.deactivatedToast'
                                          : 'team.reactivatedToast',
                                        {
                                          name: u.name,
                                        },
                                      ),
                                    ),
                                  onError,
                                },
                              )
                            }
                          >
                            {u.active ? t('team.deactivate') : t('team.reactivate')}
                          </Button>
                          <Button
                            size="sm"
                            variant="ghost"
                            aria-label={`${t('team.remove')} ${u.name}`}
                            onClick={() => setToRemove(u)}
                          >
                            {t('team.remove')}
                          </Button>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {invitations.data && invitations.data.length > 0 ? (
        <>
          <h3 className="small">{t('team.pending')}</h3>
          <div className="table-wrap">
            <table className="table table-middle">
              <thead>
                <tr>
                  <th scope="col">{t('team.email')}</th>
                  <th scope="col">{t('team.role')}</th>
                  <th scope="col">{t('team.expires')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('team.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invitations.data.map((inv) => (
                  <tr key={inv.id}>
                    <td>{inv.email}</td>
                    <td>{t(`auth.role.${inv.role}`)}</td>
                    <td>{dateTime(inv.expiresAt, locale)}</td>
                    <td>
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={t('team.revokeInvitationLabel', { email: inv.email })}
                        onClick={() =>
                          revokeInvitation.mutate(inv.id, {
                            onSuccess: () => toast(t('team.invitationRevoked')),
                            onError,
                          })
                        }
                      >
                        {t('team.revokeInvitation')}
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      {created ? (
        <CopyOnceDialog
          title={t('team.linkTitle')}
          description={t('team.linkBody', {
            email: created.email,
            date: dateTime(created.expiresAt, locale),
          })}
          value={invitationUrl(created.token)}
          testId="invitation-link"
          doneLabel={t('team.linkDone')}
          copyLabel={t('common.copyLabel', { label: t('team.linkTitle').toLowerCase() })}
          copiedLabel={t('common.copied')}
          closeLabel={t('common.close')}
          onClose={() => setCreated(null)}
        />
      ) : null}
      {toRemove ? (
        <ConfirmDialog
          title={t('team.removeTitle', { name: toRemove.name })}
          description={t('team.removeBody')}
          confirmLabel={t('team.remove')}
          cancelLabel={t('common.cancel')}
          closeLabel={t('common.close')}
          pending={remove.isPending}
          onClose={() => setToRemove(null)}
          onConfirm={() =>
            remove.mutate(toRemove.id, {
              onSuccess: () => {
                setToRemove(null);
                toast(t('team.removedToast'));
              },
              onError,
            })
          }
        />
      ) : null}
    </Card>
  );
}
