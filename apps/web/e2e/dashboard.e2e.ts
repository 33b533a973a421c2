import { FakeGraphApi } from '@conecta/graph-client/testing';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
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

const PHONE_NUMBER_ID = '109876543210777';
const WABA_ID = '209876543210777';
const GOOD_TOKEN = 'EAAGoodTokenForConectaE2e1234567890abcdef';
const WRONG_TOKEN = 'EAAWrongTokenThatMetaDoesNotKnow123456';
const APP_SECRET = '0123456789abcdef0123456789abcdef';
const CUSTOMER = '34600123456';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

describeWithChromium('dashboard in Chromium against the real server and a fake Meta', () => {
  jest.setTimeout(120_000);
  const fake = new FakeGraphApi({ appName: 'Conecta e2e' });
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ensureScreenshotDir();
    fake.addBusiness({
      wabaId: WABA_ID,
      name: 'Panadería Sol SL',
      token: GOOD_TOKEN,
      phoneNumbers: [
        {
          id: PHONE_NUMBER_ID,
          displayPhoneNumber: '+34 910 000 777',
          verifiedName: 'Panadería Sol',
          qualityRating: 'GREEN',
          codeVerificationStatus: 'VERIFIED',
        },
      ],
    });
    const fakeUrl = await fake.start();
    server = await startServer({ WHATSAPP_BASE_URL: fakeUrl });
    fake.autoStatuses = {
      webhookUrl: `${server.baseUrl}/api/whatsapp/webhook`,
      appSecret: APP_SECRET,
      sequence: ['sent', 'delivered'],
      delayMs: 200,
    };
    browser = await chromium.launch(LAUNCH);
    context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: 'es-ES',
    });
    page = await context.newPage();
  }, 480_000);

  afterAll(async () => {
    await closeBrowser(browser);
    await server?.stop();
    await fake.stop();
  }, 60_000);

  async function signIn(p: Page): Promise<void> {
    await p.goto(`${server.baseUrl}/login`);
    await p.getByLabel('Correo electrónico').fill(server.email);
    await p.getByLabel('Contraseña').fill(server.password);
    await p.getByRole('button', { name: 'Iniciar sesión' }).click();
    await p.getByRole('navigation', { name: 'Navegación principal' }).waitFor();
  }

  it('signs in with the demo admin', async () => {
    await page.goto(server.baseUrl);
    await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    await shot(page, '01-sign-in');
    await signIn(page);
    await page.getByRole('heading', { name: 'Conversaciones', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'No hay conversaciones' }).waitFor();
    await shot(page, '02-conversations-empty');
  });

  it('shows a wrong token on the token field, and Escape closes the modal', async () => {
    await page.getByRole('link', { name: 'Integraciones' }).click();
    await page.getByRole('article', { name: 'WhatsApp Business' }).waitFor();
    await shot(page, '03-integrations');
    await page.getByRole('button', { name: 'Conectar' }).click();
    const dialog = page.getByRole('dialog', { name: 'Conectar WhatsApp Business' });
    await dialog.waitFor();
    await shot(page, '04-whatsapp-modal');
    await dialog.getByLabel(/Phone Number ID/).fill(PHONE_NUMBER_ID);
    await dialog.getByLabel(/^Token de acceso/).fill(WRONG_TOKEN);
    await dialog.getByLabel(/WABA ID/).fill(WABA_ID);
    await dialog.getByRole('button', { name: 'Guardar' }).click();
    const token = dialog.getByLabel(/^Token de acceso/);
    await expectAttribute(token, 'aria-invalid', 'true');
    const describedBy = (await token.getAttribute('aria-describedby')) ?? '';
    const errorText = await page.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent();
    expect(errorText).toMatch(/token/i);
    expect(await dialog.getByLabel(/Phone Number ID/).getAttribute('aria-invalid')).toBeNull();
    await shot(page, '05-wrong-token');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('connects WhatsApp with the modal: test, then save', async () => {
    await page.getByRole('button', { name: 'Conectar' }).click();
    const dialog = page.getByRole('dialog', { name: 'Conectar WhatsApp Business' });
    await dialog.getByLabel(/Phone Number ID/).fill(PHONE_NUMBER_ID);
    await dialog.getByLabel(/^Token de acceso/).fill(GOOD_TOKEN);
    await dialog.getByLabel(/WABA ID/).fill(WABA_ID);
    await dialog.getByLabel(/App Secret/).fill(APP_SECRET);
    await dialog.getByRole('button', { name: 'Probar conexión' }).click();
    await dialog.getByText('Conexión correcta.').waitFor();
    await dialog.getByText('+34 910 000 777').waitFor();
    await shot(page, '06-test-connection-ok');
    await dialog.getByRole('button', { name: 'Guardar' }).click();
    await dialog.waitFor({ state: 'detached' });
    const card = page.getByRole('article', { name: 'WhatsApp Business' });
    await card.getByText('Conectado', { exact: true }).waitFor();
    await shot(page, '07-whatsapp-connected');
  });

  it('an inbound WhatsApp message shows under the WhatsApp filter, masked, and the reply is delivered', async () => {
    const sent = await fake.sendInboundMessage({
      webhookUrl: `${server.baseUrl}/api/whatsapp/webhook`,
      appSecret: APP_SECRET,
      phoneNumberId: PHONE_NUMBER_ID,
      from: CUSTOMER,
      text: 'Hola, ¿qué horario tenéis?',
      contactName: 'Lucía',
    });
    expect(sent.status).toBe(200);

    await page.getByRole('link', { name: 'Conversaciones' }).click();
    await page.getByRole('button', { name: /WhatsApp/ }).click();
    await page.waitForURL(/channel=whatsapp/);
    const row = page
      .getByRole('list', { name: 'Conversaciones' })
      .getByRole('link')
      .filter({ hasText: 'Lucía' });
    await row.waitFor({ timeout: 30_000 });
    await row.getByText('•••• 3456').waitFor();
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).not.toContain(CUSTOMER);
    expect(body).not.toContain('600123456');
    await shot(page, '08-whatsapp-filter');

    await row.click();
    const thread = page.getByRole('list', { name: 'Mensajes' });
    await thread.getByText('Hola, ¿qué horario tenéis?').waitFor();
    await thread.getByText('Entregado').first().waitFor({ state: 'attached', timeout: 45_000 });
    await shot(page, '09-thread-delivered');
    expect((await page.locator('body').textContent()) ?? '').not.toContain(CUSTOMER);
  });

  it('edits nothing but talks to the bot through the web channel on the Chatbots screen', async () => {
    await page.getByRole('link', { name: 'Chatbots' }).click();
    await page.getByRole('heading', { name: 'Probar el chat' }).waitFor();
    await page.getByLabel('Mensaje de prueba').fill('¿Hacéis envíos?');
    await page.getByRole('button', { name: 'Enviar' }).click();
    const log = page.getByRole('log', { name: 'Probar el chat' });
    await log.getByText('¿Hacéis envíos?').waitFor();
    await page.waitForFunction(
      () => (document.querySelector('[role="log"]')?.querySelectorAll('.bubble').length ?? 0) >= 2,
      undefined,
      { timeout: 20_000 },
    );
    await shot(page, '15-chatbots-test-chat');
  });

  it('creates an API key shown once, and lists the audit log', async () => {
    await page.getByRole('link', { name: 'Ajustes' }).click();
    await page.getByLabel('Nombre de la clave').fill('CRM interno');
    await page.getByRole('button', { name: 'Crear clave' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nueva clave de API' });
    await dialog.waitFor();
    expect(await dialog.getByTestId('new-api-key').textContent()).toMatch(/^cnk_/);
    await shot(page, '16-api-key-once');
    await dialog.getByRole('button', { name: 'Ya la he copiado' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'CRM interno', exact: true }).first().waitFor();
    expect(await page.getByTestId('new-api-key').count()).toBe(0);
    await page.getByRole('heading', { name: 'Registro de auditoría' }).waitFor();
    // The audit log in words, with the names of who and what: never the action code.
    const audit = page.getByRole('region', { name: 'Registro de auditoría' });
    await audit.getByText('Conectó WhatsApp').first().waitFor();
    await audit.getByRole('cell', { name: 'Creó una clave de API' }).first().waitFor();
    expect(await audit.getByText('integration.create').count()).toBe(0);
    await shot(page, '17-settings');
  });

  /** Filter chips cut off or pushed out of their row, e.g. the WhatsApp count at 1440 px. */
  async function clippedChips(p: Page): Promise<string[]> {
    const group = p.getByRole('group', { name: 'Filtrar por canal' });
    await group.getByRole('button', { name: /WhatsApp/ }).waitFor();
    return group.evaluate((row) => {
      const box = row.getBoundingClientRect();
      const chips = [...row.querySelectorAll<HTMLElement>('.chip')];
      const top = chips[0]?.getBoundingClientRect().top;
      return chips
        .filter((c) => {
          const r = c.getBoundingClientRect();
          return (
            r.right > box.right + 0.5 ||
            c.scrollWidth > c.clientWidth ||
            row.scrollWidth > row.clientWidth ||
            r.top !== top
          );
        })
        .map((c) => c.textContent ?? '');
    });
  }

  it('shows every channel chip whole, counts included, on one row at 1440×900', async () => {
    const wide = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'es-ES',
      storageState: await context.storageState(),
    });
    const p = await wide.newPage();
    await p.goto(`${server.baseUrl}/conversations`);
    expect(await clippedChips(p)).toEqual([]);
    await shot(p, '15-conversations-1440');
    await wide.close();
  });

  it.each([375, 390])('fits a %i px wide phone screen', async (phoneWidth) => {
    const phone = await browser.newContext({
      viewport: { width: phoneWidth, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'es-ES',
      storageState: await context.storageState(),
    });
    const p = await phone.newPage();
    for (const [path, name] of [
      ['/conversations?channel=whatsapp', '10-mobile-conversations'],
      ['/integrations', '11-mobile-integrations'],
      ['/chatbots', '12-mobile-chatbots'],
      ['/settings', '13-mobile-settings'],
    ] as const) {
      await p.goto(`${server.baseUrl}${path}`);
      const nav = p.getByRole('navigation', { name: 'Navegación principal' });
      await nav.waitFor();
      await p.waitForLoadState('networkidle').catch(() => undefined);
      const width = await p.evaluate(() => document.documentElement.scrollWidth);
      // On failure, name the elements that stick out.
      const wide = await p.evaluate(
        (max) =>
          [...document.querySelectorAll<HTMLElement>('body *')]
            .filter((el) => el.getBoundingClientRect().right > max + 1)
            .filter((el) => {
              // Content of a horizontal scroller (a wide table) scrolls; it does not widen the page.
              for (let a = el.parentElement; a; a = a.parentElement) {
                if (getComputedStyle(a).overflowX !== 'visible') return false;
              }
              return true;
            })
            .slice(0, 5)
            .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
        phoneWidth,
      );
      expect({ path, width, wide }).toEqual({
        path,
        width: Math.min(width, phoneWidth),
        wide: [],
      });
      // The four pages fit the nav row whole: no sideways scroll, no label cut short.
      const navFit = await nav.evaluate((n) => ({
        scrolls: n.scrollWidth > n.clientWidth,
        cut: [...n.querySelectorAll<HTMLElement>('a > span')]
          .filter(
            (l) => l.scrollWidth > l.clientWidth || l.getBoundingClientRect().right > innerWidth,
          )
          .map((l) => l.textContent ?? ''),
        height: n.parentElement?.getBoundingClientRect().height ?? 0,
      }));
      expect(navFit).toEqual({ scrolls: false, cut: [], height: navFit.height });
      expect(navFit.height).toBeLessThan(120);
      if (path.startsWith('/conversations')) expect(await clippedChips(p)).toEqual([]);
      await shot(p, `${name}-${phoneWidth}`);
    }
    await p.goto(`${server.baseUrl}/integrations`);
    await p.getByRole('button', { name: 'Gestionar WhatsApp Business' }).click();
    await p.getByRole('button', { name: 'Editar' }).click();
    const dialog = p.getByRole('dialog', { name: 'Editar WhatsApp Business' });
    await dialog.waitFor();
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      phoneWidth,
    );
    // The footer's three actions share one row (Guardar does not drop to a line of its own).
    const tops = await Promise.all(
      ['Cancelar', 'Probar conexión', 'Guardar'].map(
        async (name) =>
          (await dialog.getByRole('button', { name, exact: true }).boundingBox())?.y ?? -1,
      ),
    );
    expect(new Set(tops).size).toBe(1);
    await p.screenshot({ path: join(SCREENSHOTS, `14-mobile-modal-${phoneWidth}.png`) });
    await phone.close();
  });
});

async function expectAttribute(
  locator: ReturnType<Page['locator']>,
  name: string,
  value: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = await locator.getAttribute(name);
    if (last === value) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${name}="${value}", last saw ${String(last)}`);
}
