import { chromium, type Browser, type Page } from 'playwright-core';
import { join } from 'node:path';
import {
  closeBrowser,
  describeWithChromium,
  ensureScreenshotDir,
  LAUNCH,
  SCREENSHOTS,
  startServer,
  type RunningServer,
} from './support';

// `npm start` with nothing configured: demo mode, an in-process fake Meta, no Meta account needed.
describeWithChromium('demo mode: the whole WhatsApp path with no Meta account', () => {
  jest.setTimeout(120_000);
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureScreenshotDir();
    server = await startServer({});
    browser = await chromium.launch(LAUNCH);
    page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'es-ES' });
  }, 480_000);

  afterAll(async () => {
    await closeBrowser(browser);
    await server?.stop();
  }, 60_000);

  it('connects the demo number, simulates a customer message and shows the delivered reply', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Correo electrónico').fill(server.email);
    await page.getByLabel('Contraseña').fill(server.password);
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.getByRole('navigation', { name: 'Navegación principal' }).waitFor();

    await page.getByRole('link', { name: 'Integraciones' }).click();
    await page.getByRole('button', { name: 'Conectar' }).click();
    const dialog = page.getByRole('dialog', { name: 'Conectar WhatsApp Business' });
    await dialog.getByRole('button', { name: 'Usar credenciales de demo' }).click();
    await dialog.getByRole('button', { name: 'Guardar' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('article', { name: 'WhatsApp Business' })
      .getByText('Conectado', { exact: true })
      .waitFor();

    await page.getByRole('link', { name: 'Conversaciones' }).click();
    const panel = page.getByRole('region', { name: 'Simular mensaje de WhatsApp' });
    await panel.waitFor();
    await panel.getByLabel(/^Mensaje/).fill('¿Hacéis envíos a Canarias?');
    await panel.getByRole('button', { name: 'Simular mensaje' }).click();
    await page.getByText('Mensaje simulado enviado', { exact: false }).waitFor();

    await page.getByRole('button', { name: /WhatsApp/ }).click();
    const row = page
      .getByRole('list', { name: 'Conversaciones' })
      .getByRole('link')
      .filter({ hasText: 'Lucía Demo' });
    await row.waitFor({ timeout: 30_000 });
    await row.getByText('•••• 3456').waitFor();
    await row.click();
    const thread = page.getByRole('list', { name: 'Mensajes' });
    await thread.getByText('¿Hacéis envíos a Canarias?').waitFor();
    await thread
      .getByText(/Entregado|Leído/)
      .first()
      .waitFor({ timeout: 45_000 });
    expect((await page.locator('body').textContent()) ?? '').not.toContain('34600123456');
    await page.screenshot({ path: join(SCREENSHOTS, '20-demo-delivered.png'), fullPage: true });
  });
});
