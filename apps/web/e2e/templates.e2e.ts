import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  api,
  closeBrowser,
  describeWithChromium,
  LAUNCH,
  signIn,
  startServer,
  type RunningServer,
} from './support';

/** Where the screenshots go (looked at by hand; not committed). */
const SHOTS = process.env.SHOTS_DIR ?? join(__dirname, '../../../artifacts/screenshots');
const CUSTOMER = '34600987654';

describeWithChromium(
  'templates: an agent answers a customer whose 24-hour window has closed',
  () => {
    jest.setTimeout(180_000);
    let server: RunningServer;
    let browser: Browser;
    let adminContext: BrowserContext;
    let agentContext: BrowserContext;
    let admin: Page;
    let agent: Page;
    const errors: string[] = [];

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      server = await startServer({});
      browser = await chromium.launch(LAUNCH);
      adminContext = await browser.newContext({
        viewport: { width: 1440, height: 900 },
        locale: 'es-ES',
      });
      agentContext = await browser.newContext({
        viewport: { width: 1440, height: 900 },
        locale: 'es-ES',
      });
      admin = await adminContext.newPage();
      agent = await agentContext.newPage();
      for (const page of [admin, agent]) {
        page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      }
    }, 480_000);

    afterAll(async () => {
      await closeBrowser(browser);
      await server?.stop();
    }, 60_000);

    it('picks an approved template, fills its parameter, sends it and sees it delivered; the cost panel counts it', async () => {
      // The admin connects the demo number (its templates are synced on connect) and invites an agent.
      await signIn(admin, server.baseUrl, server.email, server.password);
      await admin.getByRole('link', { name: 'Integraciones' }).click();
      await admin.getByRole('button', { name: 'Conectar', exact: true }).click();
      const dialog = admin.getByRole('dialog', { name: 'Conectar WhatsApp Business' });
      await dialog.getByRole('button', { name: 'Usar credenciales de demo' }).click();
      await dialog.getByRole('button', { name: 'Guardar' }).click();
      await dialog.waitFor({ state: 'detached' });
      const invited = await api(admin, 'POST', '/api/v1/invitations', {
        email: 'marta@example.com',
        role: 'agent',
      });
      expect(invited.status).toBe(201);
      await agent.goto(`${server.baseUrl}/login`);
      const accepted = await api(agent, 'POST', '/api/v1/public/invitations/accept', {
        token: invited.body.token,
        name: 'Marta Agente',
        password: 'marta-agente-segura-2026',
      });
      expect(accepted.status).toBe(200);

      // The customer wrote 30 hours ago (Meta's timestamp): the window is closed, the bot stays
      // silent at WhatsApp (no free-form send is attempted).
      const wrote = await api(admin, 'POST', '/api/v1/demo/whatsapp/inbound', {
        from: CUSTOMER,
        contactName: 'Pablo Demo',
        text: '¿Está listo mi pedido?',
        hoursAgo: 30,
      });
      expect(wrote.status).toBe(200);

      await agent.goto(`${server.baseUrl}/conversations`);
      const row = agent
        .getByRole('list', { name: 'Conversaciones' })
        .getByRole('link')
        .filter({ hasText: 'Pablo Demo' });
      await row.waitFor({ timeout: 30_000 });
      await row.click();
      const thread = agent.getByRole('list', { name: 'Mensajes' });
      await thread.getByText('¿Está listo mi pedido?').waitFor();
      await agent.getByText(/Pasaron más de 24 h desde el último mensaje del cliente/).waitFor();
      await expect(
        agent.getByRole('textbox', { name: 'Responder al cliente' }).isDisabled(),
      ).resolves.toBe(true);

      // The picker is open at once: choose the template, fill {{1}}, read the preview, send.
      const picker = agent.getByRole('region', { name: 'Enviar una plantilla' });
      await picker
        .getByRole('combobox', { name: 'Plantilla' })
        .selectOption({ label: 'pedido_listo (es) · UTILITY' });
      await picker.getByRole('textbox', { name: 'Texto {{1}}' }).fill('Pablo');
      await picker
        .getByRole('note', { name: 'Vista previa' })
        .getByText('Hola Pablo, tu pedido está listo para recoger.')
        .waitFor();
      await picker.getByRole('button', { name: 'Enviar plantilla' }).click();
      const sent = thread.getByRole('group', { name: 'Marta Agente (equipo)' });
      await sent.getByText(/Hola Pablo, tu pedido está listo para recoger\./).waitFor();
      await sent.getByText(/Entregado|Leído/).waitFor({ timeout: 45_000 });
      await agent.screenshot({ path: join(SHOTS, 'template-sent-1440.png'), fullPage: false });

      // The cost panel counts the run: one delivered utility template, billable (read afresh:
      // the admin had the page open before the send).
      await admin.goto(`${server.baseUrl}/integrations`);
      const coste = admin.getByRole('region', { name: 'Coste' });
      const table = coste.getByRole('table', { name: 'Mensajes entregados por categoría' });
      const utility = table.getByRole('row', { name: /Utilidad/ });
      await utility.waitFor({ timeout: 30_000 });
      await expect(utility.getByRole('cell').allTextContents()).resolves.toEqual(['1', '1', '0']);
      await coste.getByText(/plantillas: 1/).waitFor();
      await coste.getByText(/Sin estimación: rellena la tabla de precios/).waitFor();
      await admin.screenshot({ path: join(SHOTS, 'cost-panel-1440.png'), fullPage: true });
      expect(errors).toEqual([]);
    });
  },
);
