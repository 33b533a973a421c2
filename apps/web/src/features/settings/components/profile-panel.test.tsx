import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { agentMe } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { server } from '../../../testing/server';
import { ProfilePanel } from './profile-panel';

describe('ProfilePanel', () => {
  it('changes the password with the current one, and says a wrong current password', async () => {
    const bodies: unknown[] = [];
    let wrong = true;
    server.use(
      http.post('*/api/v1/auth/password', async ({ request }) => {
        bodies.push(await request.json());
        if (wrong) {
          wrong = false;
          return HttpResponse.json(
            {
              statusCode: 403,
              error: 'FORBIDDEN',
              message: 'wrong',
              details: { reason: 'WRONG_PASSWORD' },
            },
            { status: 403 },
          );
        }
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const u = userEvent.setup();
    renderWithApp(<ProfilePanel />, { me: agentMe });
    expect(screen.getByText('leo@example.com')).toBeInTheDocument();
    await u.type(screen.getByLabelText(/Contraseña actual/), 'vieja');
    await u.type(screen.getByLabelText(/Contraseña nueva/), 'corta');
    await u.click(screen.getByRole('button', { name: 'Cambiar la contraseña' }));
    expect(await screen.findByText('Debe tener al menos 12 caracteres.')).toBeInTheDocument();
    expect(bodies).toEqual([]);

    await u.clear(screen.getByLabelText(/Contraseña nueva/));
    await u.type(screen.getByLabelText(/Contraseña nueva/), 'una-contraseña-larga');
    await u.click(screen.getByRole('button', { name: 'Cambiar la contraseña' }));
    expect(await screen.findByText('La contraseña actual no es correcta.')).toBeInTheDocument();
    await u.click(screen.getByRole('button', { name: 'Cambiar la contraseña' }));
    expect(
      await screen.findByText('Contraseña cambiada. Tus otras sesiones se han cerrado.'),
    ).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText(/Contraseña actual/)).toHaveValue(''));
    expect(bodies).toEqual([
      { currentPassword: 'vieja', newPassword: 'una-contraseña-larga' },
      { currentPassword: 'vieja', newPassword: 'una-contraseña-larga' },
    ]);
  });
});
