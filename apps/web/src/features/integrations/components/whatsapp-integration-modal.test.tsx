import type {
  ConnectionTestResult,
  CreateWhatsAppIntegrationInput,
  ErrorBody,
} from '@conecta/contracts';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { CHATBOT_ID, integration } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { server } from '../../../testing/server';
import { WhatsAppIntegrationModal } from './whatsapp-integration-modal';

const GOOD = {
  phoneNumberId: '123456789012345',
  accessToken: 'EAAGm0PX4ZCpsBAKZAZBfake1234567890abcd',
  businessAccountId: '987654321098765',
};

function open(
  props: Partial<Parameters<typeof WhatsAppIntegrationModal>[0]> = {},
  userOptions: Parameters<typeof userEvent.setup>[0] = {},
) {
  const onClose = jest.fn();
  const onSaved = jest.fn();
  const user = userEvent.setup(userOptions);
  const view = renderWithApp(
    <WhatsAppIntegrationModal
      chatbotId={CHATBOT_ID}
      onClose={onClose}
      onSaved={onSaved}
      {...props}
    />,
  );
  return { ...view, user, onClose, onSaved };
}

const field = (name: RegExp) => screen.getByLabelText(name);
const phoneId = () => field(/Phone Number ID/);
const token = () => screen.getByLabelText(/^Token de acceso/);
const waba = () => field(/WABA ID/);

async function fillGood(user: ReturnType<typeof userEvent.setup>) {
  await user.type(phoneId(), GOOD.phoneNumberId);
  await user.type(token(), GOOD.accessToken);
  await user.type(waba(), GOOD.businessAccountId);
}

describe('WhatsAppIntegrationModal', () => {
  it('is a labelled modal dialog with every field, the callback URL and a generated verify token', async () => {
    open();
    const dialog = await screen.findByRole('dialog', { name: 'Conectar WhatsApp Business' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(phoneId()).toHaveAttribute('aria-required', 'true');
    expect(token()).toHaveAttribute('type', 'password');
    expect(token()).toHaveValue('');
    expect(waba()).toBeInTheDocument();
    expect(field(/App Secret/)).toHaveAttribute('type', 'password');
    expect((field(/Token de verificación del webhook/) as HTMLInputElement).value).toMatch(
      /^[A-Za-z0-9]{32}$/,
    );
    expect(screen.getByTestId('callback-url')).toHaveTextContent(
      'http://localhost/api/whatsapp/webhook',
    );
    expect(
      screen.getByRole('button', { name: /Copiar url de devolución de llamada/i }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /Copiar token de verificación/i }),
    ).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Dónde encontrar cada dato' })).toBeInTheDocument();
  });

  it('puts the first focus on the first field and keeps the footer out of the scrolling body', async () => {
    open();
    const dialog = await screen.findByRole('dialog', { name: 'Conectar WhatsApp Business' });
    await waitFor(() => expect(phoneId()).toHaveFocus());
    const body = dialog.querySelector('.dialog-body');
    const footer = dialog.querySelector('.dialog-footer');
    expect(body).not.toBeNull();
    expect(footer).not.toBeNull();
    for (const name of ['Probar conexión', 'Guardar']) {
      const button = within(dialog).getByRole('button', { name });
      expect(footer?.contains(button)).toBe(true);
      expect(body?.contains(button)).toBe(false);
    }
  });

  it('does not call the generated verify token optional', async () => {
    open();
    await screen.findByRole('dialog');
    const label = screen.getByText('Token de verificación del webhook', { selector: 'label' });
    expect(label).not.toHaveTextContent('(opcional)');
  });

  it.each([
    ['http://localhost/api/whatsapp/webhook', true],
    ['https://192.168.1.10/api/whatsapp/webhook', true],
    ['https://conecta.example.com/api/whatsapp/webhook', false],
  ])('warns that Meta refuses a callback URL that is not public HTTPS (%s)', async (url, warns) => {
    open({
      integration: integration({ webhook: { callbackUrl: url, verifyToken: 'verify-token-123' } }),
    });
    await screen.findByRole('dialog');
    const warning = screen.queryByText(/Meta solo acepta una URL pública con HTTPS/);
    if (warns) expect(warning).toBeInTheDocument();
    else expect(warning).not.toBeInTheDocument();
  });

  it('validates a field inline while typing, after a pause, with the shared rules', async () => {
    const { user } = open();
    await user.type(phoneId(), '12345ab');
    expect(
      await screen.findByText('Solo dígitos, sin espacios ni signos: de 5 a 25 dígitos.'),
    ).toBeInTheDocument();
    expect(phoneId()).toHaveAttribute('aria-invalid', 'true');
    expect(phoneId()).toHaveAccessibleDescription(/Solo dígitos/);
    await user.clear(phoneId());
    await user.type(phoneId(), '1234567');
    await waitFor(() => expect(phoneId()).not.toHaveAttribute('aria-invalid'));

    await user.type(token(), 'not-a-meta-token-at-all');
    expect(await screen.findByText(/Debe ser un token de acceso de Meta/)).toBeInTheDocument();
  });

  it.each([
    ['es', 'abc', 'Solo dígitos, sin espacios ni signos: de 5 a 25 dígitos.'],
    ['en', 'abc', 'Digits only, no spaces or signs: 5 to 25 digits.'],
  ] as const)(
    'a short non-numeric WABA id (%s) is told the digits rule, not a minimum length',
    async (language, value, text) => {
      const user = userEvent.setup();
      renderWithApp(<WhatsAppIntegrationModal chatbotId={CHATBOT_ID} onClose={jest.fn()} />, {
        language,
      });
      await user.type(screen.getByLabelText(/WABA ID/), value);
      expect(await screen.findByText(text)).toBeInTheDocument();
      expect(screen.queryByText(/al menos|at least/)).not.toBeInTheDocument();
    },
  );

  it.each([
    ['EA with space', 'EAAB cdefghijklmnopqrstuvwxyz', /empieza por «EA», sin espacios/],
    ['no EA', 'XXABcdefghijklmnopqrstuvwxyz', /empieza por «EA», sin espacios/],
    ['short', 'EAAB', /al menos 20 caracteres/],
  ])('a bad token (%s) is told the whole token rule', async (_name, value, text) => {
    const { user } = open();
    await user.type(token(), value);
    expect(await screen.findByText(text)).toBeInTheDocument();
  });

  it('shows every missing field as an announced error when saving an empty form, and sends nothing', async () => {
    const { user, onSaved } = open();
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((a) => a.textContent)).toEqual(
      expect.arrayContaining(['Este campo es obligatorio.', 'Revisa los campos marcados.']),
    );
    expect(phoneId()).toHaveAttribute('aria-invalid', 'true');
    expect(token()).toHaveAttribute('aria-invalid', 'true');
    expect(waba()).toHaveAttribute('aria-invalid', 'true');
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('saves the credentials for the chosen chatbot and reports the new integration', async () => {
    let body: CreateWhatsAppIntegrationInput | null = null;
    server.use(
      http.post('*/api/v1/integrations', async ({ request }) => {
        body = (await request.json()) as CreateWhatsAppIntegrationInput;
        return HttpResponse.json(integration(), { status: 201 });
      }),
    );
    const { user, onSaved } = open();
    await fillGood(user);
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() =>
      expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ id: 'int1' }), true),
    );
    expect(body).toMatchObject({ chatbotId: CHATBOT_ID, ...GOOD });
    expect(body!.webhookVerifyToken).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(body).not.toHaveProperty('appSecret', '');
  });

  it('puts a rejected token on the token field, as the server named it', async () => {
    const error: ErrorBody = {
      statusCode: 422,
      error: 'INVALID_CREDENTIALS',
      message: 'The access token is invalid or expired',
      details: {
        fields: [{ field: 'accessToken', code: 'INVALID_CREDENTIALS', message: 'invalid token' }],
      },
    };
    server.use(http.post('*/api/v1/integrations', () => HttpResponse.json(error, { status: 422 })));
    const { user, onSaved } = open();
    await fillGood(user);
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(token()).toHaveAttribute('aria-invalid', 'true'));
    expect(token()).toHaveAccessibleDescription(/Meta no acepta este token/);
    expect(phoneId()).not.toHaveAttribute('aria-invalid');
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('keeps the server error on the token field when an inline check was still pending', async () => {
    const error: ErrorBody = {
      statusCode: 422,
      error: 'INVALID_CREDENTIALS',
      message: 'bad token',
    };
    server.use(http.post('*/api/v1/integrations', () => HttpResponse.json(error, { status: 422 })));
    // Fake timers: the inline check is surely still pending at "Guardar", and is then run out.
    jest.useFakeTimers();
    try {
      const { user } = open({}, { advanceTimers: jest.advanceTimersByTime });
      await user.type(phoneId(), GOOD.phoneNumberId);
      await user.type(waba(), GOOD.businessAccountId);
      await user.type(token(), GOOD.accessToken);
      await user.click(screen.getByRole('button', { name: 'Guardar' }));
      await waitFor(() => expect(token()).toHaveAttribute('aria-invalid', 'true'));
      await act(async () => {
        jest.runOnlyPendingTimers();
      });
      expect(token()).toHaveAccessibleDescription(/Meta no acepta este token/);
    } finally {
      jest.useRealTimers();
    }
  });

  it('says nothing about the auto-focused first field when the user leaves it untouched', async () => {
    jest.useFakeTimers();
    try {
      const { user } = open({}, { advanceTimers: jest.advanceTimersByTime });
      await waitFor(() => expect(phoneId()).toHaveFocus());
      await user.click(screen.getByRole('heading', { name: 'Dónde encontrar cada dato' }));
      expect(phoneId()).not.toHaveFocus();
      // Past the inline check's pause, by the fake clock.
      await act(async () => {
        jest.runOnlyPendingTimers();
      });
      expect(phoneId()).not.toHaveAttribute('aria-invalid');
      expect(screen.queryByText('Este campo es obligatorio.')).not.toBeInTheDocument();
    } finally {
      jest.useRealTimers();
    }
  });

  it('puts a number from another business account on the WABA field', async () => {
    const error: ErrorBody = {
      statusCode: 422,
      error: 'PHONE_NUMBER_MISMATCH',
      message: 'The phone number does not belong to this business account',
    };
    server.use(http.post('*/api/v1/integrations', () => HttpResponse.json(error, { status: 422 })));
    const { user } = open();
    await fillGood(user);
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(waba()).toHaveAttribute('aria-invalid', 'true'));
    expect(waba()).toHaveAccessibleDescription(/no pertenece a esa cuenta/);
  });

  it.each([
    ['es' as const, /Otro número de esta cuenta de WhatsApp Business usa otro App Secret/],
    ['en' as const, /Another number of this WhatsApp Business Account uses a different App Secret/],
  ])(
    'puts an app secret that differs from its WABA sibling on the App Secret field (%s)',
    async (language, text) => {
      const error: ErrorBody = {
        statusCode: 409,
        error: 'CONFLICT',
        message: 'Another number of this WhatsApp Business Account uses a different app secret',
        details: {
          reason: 'APP_SECRET_DIFFERS_IN_BUSINESS_ACCOUNT',
          fields: [
            {
              field: 'appSecret',
              code: 'APP_SECRET_DIFFERS_IN_BUSINESS_ACCOUNT',
              message:
                'Another number of this WhatsApp Business Account uses a different app secret',
            },
          ],
        },
      };
      server.use(
        http.post('*/api/v1/integrations', () => HttpResponse.json(error, { status: 409 })),
      );
      const user = userEvent.setup();
      renderWithApp(
        <WhatsAppIntegrationModal chatbotId={CHATBOT_ID} onClose={jest.fn()} onSaved={jest.fn()} />,
        { language },
      );
      await user.type(phoneId(), GOOD.phoneNumberId);
      await user.type(screen.getByLabelText(/^(Token de acceso|Access token)/), GOOD.accessToken);
      await user.type(waba(), GOOD.businessAccountId);
      await user.type(field(/App Secret/), 'a'.repeat(32));
      await user.click(
        screen.getByRole('button', { name: language === 'es' ? 'Guardar' : 'Save' }),
      );
      await waitFor(() => expect(field(/App Secret/)).toHaveAttribute('aria-invalid', 'true'));
      expect(field(/App Secret/)).toHaveAccessibleDescription(text);
    },
  );

  it('shows Meta being unreachable as a general error, not on a field', async () => {
    const error: ErrorBody = {
      statusCode: 502,
      error: 'CONNECTION_FAILED',
      message: 'Meta did not answer',
    };
    server.use(http.post('*/api/v1/integrations', () => HttpResponse.json(error, { status: 502 })));
    const { user } = open();
    await fillGood(user);
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(await screen.findByText(/No se pudo contactar con Meta/)).toHaveAttribute(
      'role',
      'alert',
    );
    expect(token()).not.toHaveAttribute('aria-invalid');
  });

  it('"Probar conexión" shows the number, verified name, quality and verification', async () => {
    const result: ConnectionTestResult = {
      success: true,
      details: {
        phoneNumber: '+34 600 11 22 33',
        businessName: 'Panadería Sol',
        verifiedName: 'Panadería Sol',
        verificationStatus: 'VERIFIED',
        qualityRating: 'GREEN',
        phoneStatus: 'CONNECTED',
      },
      checks: [
        { name: 'phone_number_found', outcome: 'passed' },
        {
          name: 'phone_number_ready',
          outcome: 'warning',
          note: 'PHONE_STATUS',
          phoneStatus: 'PENDING',
          codeVerificationStatus: 'NOT_VERIFIED',
        },
        { name: 'app_subscribed', outcome: 'warning', note: 'NOT_SUBSCRIBED_YET' },
      ],
      testedAt: new Date().toISOString(),
    };
    let sent: unknown = null;
    server.use(
      http.post('*/api/v1/integrations/test', async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(result);
      }),
    );
    const { user } = open();
    await fillGood(user);
    await user.click(screen.getByRole('button', { name: 'Probar conexión' }));
    const status = await screen.findByText(/Conexión correcta/);
    const box = status.closest('.test-result') as HTMLElement;
    expect(within(box).getByText('+34 600 11 22 33')).toBeInTheDocument();
    // Meta's values and the checklist in Spanish, never GREEN / VERIFIED or server English.
    expect(within(box).getByText('Alta')).toBeInTheDocument();
    expect(within(box).getByText('Verificado')).toBeInTheDocument();
    const checks = within(box).getByRole('list', { name: 'Comprobaciones' });
    expect(checks).toHaveTextContent('El número existe y el token puede leerlo.');
    expect(checks).toHaveTextContent(
      'Meta indica estado «Pendiente» y verificación «Sin verificar»',
    );
    expect(checks).toHaveTextContent('Aún no suscrita: al guardar se suscribe la app.');
    expect(box).not.toHaveTextContent(/GREEN|VERIFIED|PENDING/);
    expect(sent).toEqual(GOOD);
  });

  it('"Probar conexión" puts a failed test on the field Meta pointed at', async () => {
    server.use(
      http.post('*/api/v1/integrations/test', () =>
        HttpResponse.json({
          success: false,
          errorType: 'INVALID_PHONE_NUMBER',
          reason: 'PHONE_NUMBER_NOT_FOUND',
          field: 'phoneNumberId',
          checks: [],
          testedAt: new Date().toISOString(),
        } satisfies ConnectionTestResult),
      ),
    );
    const { user } = open();
    await fillGood(user);
    await user.click(screen.getByRole('button', { name: 'Probar conexión' }));
    await waitFor(() =>
      expect(phoneId()).toHaveAccessibleDescription(
        /Meta no encuentra un número con este identificador/,
      ),
    );
  });

  it('a wrong WABA id on save says the id is not found, under the WABA field, not that the token lacks permissions', async () => {
    const error: ErrorBody = {
      statusCode: 422,
      error: 'PERMISSION_DENIED',
      message: 'Connection test failed: BUSINESS_ACCOUNT_NOT_FOUND',
      details: {
        reason: 'BUSINESS_ACCOUNT_NOT_FOUND',
        fields: [
          {
            field: 'businessAccountId',
            code: 'BUSINESS_ACCOUNT_NOT_FOUND',
            message: 'Connection test failed: BUSINESS_ACCOUNT_NOT_FOUND',
          },
        ],
      },
    };
    server.use(http.post('*/api/v1/integrations', () => HttpResponse.json(error, { status: 422 })));
    const { user } = open();
    await fillGood(user);
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() =>
      expect(waba()).toHaveAccessibleDescription(
        /Meta no encuentra una cuenta de WhatsApp Business con este identificador/,
      ),
    );
    expect(waba()).not.toHaveAccessibleDescription(/permisos/);
    expect(token()).not.toHaveAttribute('aria-invalid', 'true');
  });

  it('editing: "Probar conexión" with edited ids and the kept token tests them with the stored token, no format error', async () => {
    let sent: unknown = null;
    server.use(
      http.post('*/api/v1/integrations/int1/test', async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json({
          success: false,
          errorType: 'PHONE_NUMBER_MISMATCH',
          reason: 'PHONE_NUMBER_NOT_IN_ACCOUNT',
          field: 'phoneNumberId',
          checks: [],
          testedAt: new Date().toISOString(),
        } satisfies ConnectionTestResult);
      }),
      http.post('*/api/v1/integrations/test', () => {
        throw new Error('an edit must not test with an empty token');
      }),
    );
    const { user } = open({ integration: integration() });
    await screen.findByRole('dialog', { name: 'Editar WhatsApp Business' });
    await user.clear(waba());
    await user.type(waba(), '111111111111111');
    await user.click(screen.getByRole('button', { name: 'Probar conexión' }));
    await waitFor(() => expect(sent).not.toBeNull());
    expect(sent).toEqual({
      phoneNumberId: '123456789012345',
      businessAccountId: '111111111111111',
    });
    await waitFor(() => expect(phoneId()).toHaveAccessibleDescription(/no pertenece a esa cuenta/));
    expect(screen.queryByText(/token/i, { selector: '.field-error' })).not.toBeInTheDocument();
  });

  it('closes on Escape and keeps Tab inside the dialog', async () => {
    const { user, onClose } = open();
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(dialog).toContainElement(document.activeElement as HTMLElement));
    const buttons = within(dialog).getAllByRole('button');
    buttons[buttons.length - 1].focus();
    await user.tab();
    expect(dialog).toContainElement(document.activeElement as HTMLElement);
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('closes on a press outside the dialog, not on one inside it', async () => {
    const { user, onClose } = open();
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('heading', { name: 'Conectar WhatsApp Business' }));
    expect(onClose).not.toHaveBeenCalled();
    const backdrop = dialog.parentElement;
    if (!backdrop) throw new Error('the dialog has no backdrop');
    await user.click(backdrop);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('when editing, never pre-fills the token: it shows the last four and offers to replace it', async () => {
    let patch: unknown = null;
    server.use(
      http.patch('*/api/v1/integrations/int1', async ({ request }) => {
        patch = await request.json();
        return HttpResponse.json(integration());
      }),
    );
    const { user, onSaved } = open({ integration: integration() });
    expect(
      await screen.findByRole('dialog', { name: 'Editar WhatsApp Business' }),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText(/^Token de acceso/)).not.toBeInTheDocument();
    expect(screen.getByText(/Token actual terminado en ••••x9Qz/)).toBeInTheDocument();
    expect(phoneId()).toHaveValue('123456789012345');
    expect(screen.getByTestId('callback-url')).toHaveTextContent(
      'https://conecta.example.com/api/whatsapp/webhook',
    );

    await user.click(screen.getByRole('button', { name: 'Reemplazar token' }));
    expect(token()).toHaveValue('');
    await user.type(token(), 'EAAnewtoken1234567890abcdefXYZ');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(expect.anything(), false));
    expect(patch).toEqual({ accessToken: 'EAAnewtoken1234567890abcdefXYZ' });
  });
});
