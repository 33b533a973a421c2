import type { InvitationView, Role, TeamUserView } from '@conecta/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { adminMe } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { server } from '../../../testing/server';
import { TeamPanel } from './team-panel';

function user(overrides: Partial<TeamUserView> = {}): TeamUserView {
  return {
    id: 'u2',
    email: 'leo@example.com',
    name: 'Leo Agent',
    role: 'agent',
    active: true,
    createdAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  };
}

const ana = user({
  id: adminMe.user.id,
  email: adminMe.user.email,
  name: 'Ana Admin',
  role: 'admin',
});

/** An in-memory team behind MSW, so each mutation shows up in the next list. */
function serveTeam(initial: TeamUserView[], invitations: InvitationView[] = []) {
  let users = [...initial];
  let pending = [...invitations];
  const calls: string[] = [];
  server.use(
    http.get('*/api/v1/users', () => HttpResponse.json(users)),
    http.get('*/api/v1/invitations', () => HttpResponse.json(pending)),
    http.post('*/api/v1/invitations', async ({ request }) => {
      const body = (await request.json()) as { email: string; role: Role };
      calls.push(`invite ${body.email} ${body.role}`);
      const inv: InvitationView = {
        id: 'i1',
        email: body.email,
        role: body.role,
        createdBy: adminMe.user.id,
        createdAt: '2026-12-02T07:00:00.000Z',
        expiresAt: '2026-12-05T07:00:00.000Z',
      };
      pending = [inv];
      return HttpResponse.json({ ...inv, token: 'tok_abc123' }, { status: 201 });
    }),
    http.delete('*/api/v1/invitations/:id', ({ params }) => {
      calls.push(`revoke ${String(params.id)}`);
      pending = pending.filter((i) => i.id !== params.id);
      return new HttpResponse(null, { status: 204 });
    }),
    http.post('*/api/v1/users/:id/:verb', ({ params }) => {
      calls.push(`${String(params.verb)} ${String(params.id)}`);
      users = users.map((u) =>
        u.id === params.id ? { ...u, active: params.verb === 'reactivate' } : u,
      );
      return HttpResponse.json(users.find((u) => u.id === params.id));
    }),
    http.delete('*/api/v1/users/:id', ({ params }) => {
      calls.push(`remove ${String(params.id)}`);
      users = users.filter((u) => u.id !== params.id);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return calls;
}

describe('TeamPanel', () => {
  it('lists the people with their role and state, without actions on oneself', async () => {
    serveTeam([
      ana,
      user(),
      user({ id: 'u3', name: 'Eva Old', email: 'eva@example.com', active: false }),
    ]);
    renderWithApp(<TeamPanel />);
    const leo = (await screen.findByText('leo@example.com')).closest('tr') as HTMLElement;
    expect(within(leo).getByRole('combobox', { name: 'Cambiar el rol de Leo Agent' })).toHaveValue(
      'agent',
    );
    expect(within(leo).getByText('Activo')).toBeInTheDocument();
    const eva = screen.getByText('eva@example.com').closest('tr') as HTMLElement;
    expect(within(eva).getByText('Desactivado')).toBeInTheDocument();
    expect(within(eva).getByRole('button', { name: 'Reactivar Eva Old' })).toBeInTheDocument();
    const self = screen.getByText('ana@example.com').closest('tr') as HTMLElement;
    expect(within(self).getByText('(tú)')).toBeInTheDocument();
    expect(within(self).queryByRole('button')).not.toBeInTheDocument();
  });

  it('invites with a role and shows the single-use link to copy', async () => {
    const calls = serveTeam([ana]);
    const u = userEvent.setup();
    renderWithApp(<TeamPanel />);
    await screen.findByText('ana@example.com');
    await u.click(screen.getByRole('button', { name: 'Invitar' }));
    expect(await screen.findByText('Este campo es obligatorio.')).toBeInTheDocument();
    await u.type(screen.getByLabelText(/Correo de la persona/), 'no-es-correo');
    await u.click(screen.getByRole('button', { name: 'Invitar' }));
    expect(await screen.findByText('Introduce un correo electrónico válido.')).toBeInTheDocument();
    expect(calls).toEqual([]);

    await u.clear(screen.getByLabelText(/Correo de la persona/));
    await u.type(screen.getByLabelText(/Correo de la persona/), 'nuevo@example.com');
    await u.selectOptions(screen.getByRole('combobox', { name: 'Rol' }), 'admin');
    await u.click(screen.getByRole('button', { name: 'Invitar' }));
    const dialog = await screen.findByRole('dialog', { name: 'Enlace de invitación' });
    expect(within(dialog).getByTestId('invitation-link')).toHaveTextContent(
      `${window.location.origin}/invitacion/tok_abc123`,
    );
    expect(within(dialog).getByText(/Sirve una sola vez/)).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Copiar enlace de invitación' }),
    ).toBeInTheDocument();
    expect(calls).toEqual(['invite nuevo@example.com admin']);
    await u.click(within(dialog).getByRole('button', { name: 'Ya lo he copiado' }));
    const pending = await screen.findByRole('button', {
      name: 'Anular la invitación de nuevo@example.com',
    });
    await u.click(pending);
    await waitFor(() => expect(calls).toContain('revoke i1'));
    await waitFor(() =>
      expect(screen.queryByText('Invitaciones pendientes')).not.toBeInTheDocument(),
    );
  });

  it('deactivates and reactivates a person', async () => {
    const calls = serveTeam([ana, user()]);
    const u = userEvent.setup();
    renderWithApp(<TeamPanel />);
    await u.click(await screen.findByRole('button', { name: 'Desactivar Leo Agent' }));
    expect(await screen.findByText(/Leo Agent ya no puede entrar/)).toBeInTheDocument();
    await u.click(await screen.findByRole('button', { name: 'Reactivar Leo Agent' }));
    await waitFor(() => expect(calls).toEqual(['deactivate u2', 'reactivate u2']));
    expect(await screen.findByRole('button', { name: 'Desactivar Leo Agent' })).toBeInTheDocument();
  });

  it('removes a person only after confirming', async () => {
    const calls = serveTeam([ana, user()]);
    const u = userEvent.setup();
    renderWithApp(<TeamPanel />);
    await u.click(await screen.findByRole('button', { name: 'Eliminar Leo Agent' }));
    let dialog = screen.getByRole('dialog', { name: '¿Eliminar a Leo Agent?' });
    await u.click(within(dialog).getByRole('button', { name: 'Cancelar' }));
    expect(calls).toEqual([]);
    await u.click(screen.getByRole('button', { name: 'Eliminar Leo Agent' }));
    dialog = screen.getByRole('dialog', { name: '¿Eliminar a Leo Agent?' });
    await u.click(within(dialog).getByRole('button', { name: 'Eliminar' }));
    expect(await screen.findByText('Persona eliminada.')).toBeInTheDocument();
    expect(calls).toEqual(['remove u2']);
    await waitFor(() => expect(screen.queryByText('leo@example.com')).not.toBeInTheDocument());
  });

  it('says why the last admin cannot be demoted', async () => {
    serveTeam([
      ana,
      user({ id: 'u9', name: 'Otra Admin', role: 'admin', email: 'otra@example.com' }),
    ]);
    server.use(
      http.patch('*/api/v1/users/:id', () =>
        HttpResponse.json(
          {
            statusCode: 409,
            error: 'CONFLICT',
            message: 'The workspace needs at least one active admin',
            details: { reason: 'LAST_ADMIN' },
          },
          { status: 409 },
        ),
      ),
    );
    const u = userEvent.setup();
    renderWithApp(<TeamPanel />);
    await u.selectOptions(
      await screen.findByRole('combobox', { name: 'Cambiar el rol de Otra Admin' }),
      'agent',
    );
    expect(
      await screen.findByText('El espacio de trabajo necesita al menos un administrador activo.'),
    ).toBeInTheDocument();
  });

  it('is complete in English', async () => {
    serveTeam([ana, user()]);
    renderWithApp(<TeamPanel />, { language: 'en' });
    expect(await screen.findByRole('heading', { name: 'Team' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Deactivate Leo Agent' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Invite' })).toBeInTheDocument();
    expect(screen.getByText('(you)')).toBeInTheDocument();
  });
});
