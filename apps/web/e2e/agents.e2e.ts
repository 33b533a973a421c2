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

/** Where the inbox screenshots go (looked at by hand; not committed). */
const SHOTS = process.env.SHOTS_DIR ?? join(__dirname, '../../../artifacts/screenshots');
const CUSTOMER = '34600123456';

describeWithChromium(
  'agents in the loop: an agent takes a WhatsApp conversation beside the bot',
  () => {
    jest.setTimeout(180_000);
    let server: RunningServer;
    let browser: Browser;
    let adminContext: BrowserContext;
    let agentContext: BrowserContext;
    let admin: Page;
    let agent: Page;
    const errors: string[] = [];
    const streams: string[] = [];

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
      agent.on('request', (r) => {
        if (r.url().endsWith('/api/v1/events')) streams.push(r.url());
      });
    }, 480_000);

    afterAll(async () => {
      await closeBrowser(browser);
      await server?.stop();
    }, 60_000);

    it('the agent takes the pending conversation, replies, and sees the customer answer live', async () => {
      // The admin connects the demo number and invites an agent.
      await signIn(admin, server.baseUrl, server.email, server.password);
      await admin.getByRole('link', { name: 'Integraciones' }).click();
      await admin.getByRole('button', { name: 'Conectar', exact: true }).click();
      const dialog = admin.getByRole('dialog', { name: 'Conectar WhatsApp Business' });
      await dialog.getByRole('button', { name: 'Usar credenciales de demo' }).click();
      await dialog.getByRole('button', { name: 'Guardar' }).click();
      await dialog.waitFor({ state: 'detached' });
      const invited = await api(admin, 'POST', '/api/v1/invitations', {
        email: 'leo@example.com',
        role: 'agent',
      });
      expect(invited.status).toBe(201);

      await agent.goto(`${server.baseUrl}/login`);
      const accepted = await api(agent, 'POST', '/api/v1/public/invitations/accept', {
        token: invited.body.token,
        name: 'Leo Agente',
        password: 'leo-agente-segura-2026',
      });
      expect(accepted.status).toBe(200);

      // The customer asks for a person: the bot hands over.
      const asked = await api(admin, 'POST', '/api/v1/demo/whatsapp/inbound', {
        from: CUSTOMER,
        contactName: 'Lucía Demo',
        text: 'Quiero hablar con un agente',
      });
      expect(asked.status).toBe(200);

      await agent.goto(`${server.baseUrl}/conversations?status=pending`);
      const row = agent
        .getByRole('list', { name: 'Conversaciones' })
        .getByRole('link')
        .filter({ hasText: 'Lucía Demo' });
      await row.waitFor({ timeout: 30_000 });
      await row.click();
      await agent.getByRole('button', { name: 'Atender' }).click();
      await agent.getByText('Bot en pausa').first().waitFor();

      const box = agent.getByRole('textbox', { name: 'Responder al cliente' });
      await box.fill('Hola Lucía, soy Leo. ¿En qué te ayudo?');
      await box.press('Enter');
      const thread = agent.getByRole('list', { name: 'Mensajes' });
      const reply = thread.getByRole('group', { name: 'Leo Agente (equipo)' });
      await reply.getByText('Hola Lucía, soy Leo. ¿En qué te ayudo?').waitFor();
      await reply.getByText(/Entregado|Leído/).waitFor({ timeout: 45_000 });

      // The customer answers: it reaches the agent's open thread through the event stream.
      const answered = await api(admin, 'POST', '/api/v1/demo/whatsapp/inbound', {
        from: CUSTOMER,
        contactName: 'Lucía Demo',
        text: 'Gracias Leo, es sobre mi pedido 1234',
      });
      expect(answered.status).toBe(200);
      await thread.getByText('Gracias Leo, es sobre mi pedido 1234').waitFor({ timeout: 20_000 });
      expect(streams.length).toBeGreaterThan(0);
      // No bot answer to a conversation a person handles.
      expect(await thread.getByRole('group', { name: 'Bot', exact: true }).count()).toBe(1);

      await agent.screenshot({ path: join(SHOTS, 'inbox-composer-1440.png'), fullPage: false });
      await agent.setViewportSize({ width: 390, height: 844 });
      await agent.screenshot({ path: join(SHOTS, 'inbox-composer-390.png'), fullPage: true });
      expect(errors).toEqual([]);
    });
  },
);
