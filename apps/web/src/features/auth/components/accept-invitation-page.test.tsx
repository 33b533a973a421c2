import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { agentMe } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { server } from '../../../testing/server';
import { AcceptInvitationPage } from './accept-invitation-page';

const PREVIEW = {
  email: 'leo@example.com',
  role: 'agent',
  workspaceName: 'Panadería Sol',
  expiresAt: '2026-12-05T07:00:00.000Z',
};

function conflict(reason: string) {
  return HttpResponse.json(
    { statusCode: 409, error: 'CONFLICT', message: reason, details: { reason } },
    { status: 409 },
  );
}

const render = () =>
  renderWithApp(<AcceptInvitationPage />, {
    route: '/invitacion/tok_abc123',
    path: '/invitacion/:token',
  });

describe('AcceptInvitationPage', () => {
  it('shows the invitation, checks the password policy, then signs the person in', async () => {
    let sent: unknown;
    server.use(
      http.get('*/api/v1/public/invitations/tok_abc123', () => HttpResponse.json(PREVIEW)),
      http.post('*/api/v1/public/invitations/accept', async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(agentMe);
      }),
    );
    const u = userEvent.setup();
    const { router } = render();
    expect(
      await screen.findByRole('heading', { name: 'Únete a Panadería Sol' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/como Agente con el correo leo@example.com/)).toBeInTheDocument();
    await u.type(screen.getByLabelText(/Tu nombre/), 'Leo');
    await u.type(screen.getByLabelText(/Contraseña nueva/), 'corta');
    await u.click(screen.getByRole('button', { name: 'Crear mi cuenta' }));
    expect(await screen.findByText('Debe tener al menos 12 caracteres.')).toBeInTheDocument();
    expect(sent).toBeUndefined();
    await u.clear(screen.getByLabelText(/Contraseña nueva/));
    await u.type(screen.getByLabelText(/Contraseña nueva/), 'una-contraseña-larga');
    await u.click(screen.getByRole('button', { name: 'Crear mi cuenta' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/conversations'));
    expect(sent).toEqual({ token: 'tok_abc123', name: 'Leo', password: 'una-contraseña-larga' });
  });

  it('says when the link was already used or has expired', async () => {
    server.use(
      http.get('*/api/v1/public/invitations/tok_abc123', () => conflict('INVITATION_USED')),
    );
    render();
    expect(
      await screen.findByText('Esta invitación ya se usó. Pide una nueva a un administrador.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ir a iniciar sesión' })).toHaveAttribute(
      'href',
      '/login',
    );
  });

  it('reports an expiry that happens between opening and accepting, in English', async () => {
    server.use(
      http.get('*/api/v1/public/invitations/tok_abc123', () => HttpResponse.json(PREVIEW)),
      http.post('*/api/v1/public/invitations/accept', () => conflict('INVITATION_EXPIRED')),
    );
    const u = userEvent.setup();
    renderWithApp(<AcceptInvitationPage />, {
      route: '/invitacion/tok_abc123',
      path: '/invitacion/:token',
      language: 'en',
    });
    expect(await screen.findByRole('heading', { name: 'Join Panadería Sol' })).toBeInTheDocument();
    await u.type(screen.getByLabelText(/Your name/), 'Leo');
    await u.type(screen.getByLabelText(/New password/), 'a-long-enough-password');
    await u.click(screen.getByRole('button', { name: 'Create my account' }));
    expect(
      await screen.findByText('This invitation has expired. Ask an admin for a new one.'),
    ).toBeInTheDocument();
  });
});
