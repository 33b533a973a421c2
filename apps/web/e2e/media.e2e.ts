import { FakeGraphApi } from '@conecta/graph-client/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { join } from 'node:path';
import { FakeLlmServer } from '../../api/test/support/fake-llm';
import {
  closeBrowser,
  describeWithChromium,
  ensureScreenshotDir,
  LAUNCH,
  SCREENSHOTS,
  startServer,
  type RunningServer,
} from './support';

const PHONE_NUMBER_ID = '109876543216016';
const WABA_ID = '209876543216016';
const TOKEN = 'EAAMediaBrowserToken1234567890abcdef00';
const APP_SECRET = 'fedcba9876543210fedcba9876543210';
const CUSTOMER = '34600555016';
/** A real 1×1 PNG, so the browser can decode and show it. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const OGG = Buffer.concat([Buffer.from('OggS', 'latin1'), Buffer.alloc(512, 1)]);

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

describeWithChromium('media in the thread, in Chromium against the real server', () => {
  jest.setTimeout(120_000);
  const fake = new FakeGraphApi({ appName: 'Conecta media e2e' });
  let llm: FakeLlmServer;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureScreenshotDir();
    fake.addBusiness({
      wabaId: WABA_ID,
      name: 'Tienda Media SL',
      token: TOKEN,
      phoneNumbers: [
        { id: PHONE_NUMBER_ID, displayPhoneNumber: '+34 910 000 016', verifiedName: 'Tienda' },
      ],
    });
    const fakeUrl = await fake.start();
    llm = await FakeLlmServer.start();
    llm.transcription = { text: '¿Hacen envíos a Lima?' };
    server = await startServer({
      WHATSAPP_BASE_URL: fakeUrl,
      LLM_BASE_URL: llm.baseUrl,
      TRANSCRIPTION_MODEL: 'whisper-1',
    });
    browser = await chromium.launch(LAUNCH);
    page = await (
      await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'es-ES' })
    ).newPage();
  }, 480_000);

  afterAll(async () => {
    await closeBrowser(browser);
    await server?.stop();
    await fake.stop();
    await llm?.stop();
  }, 60_000);

  it('shows a customer’s photo as an image and a voice note as a player with its transcript', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Correo electrónico').fill(server.email);
    await page.getByLabel('Contraseña').fill(server.password);
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.getByRole('navigation', { name: 'Navegación principal' }).waitFor();

    await page.getByRole('link', { name: 'Integraciones' }).click();
    await page.getByRole('button', { name: 'Conectar' }).click();
    const dialog = page.getByRole('dialog', { name: 'Conectar WhatsApp Business' });
    await dialog.getByLabel(/Phone Number ID/).fill(PHONE_NUMBER_ID);
    await dialog.getByLabel(/^Token de acceso/).fill(TOKEN);
    await dialog.getByLabel(/WABA ID/).fill(WABA_ID);
    await dialog.getByLabel(/App Secret/).fill(APP_SECRET);
    await dialog.getByRole('button', { name: 'Guardar' }).click();
    await dialog.waitFor({ state: 'detached' });

    const target = {
      webhookUrl: `${server.baseUrl}/api/whatsapp/webhook`,
      appSecret: APP_SECRET,
      phoneNumberId: PHONE_NUMBER_ID,
      from: CUSTOMER,
      contactName: 'Rosa',
    };
    const photo = await fake.sendInboundMedia({
      ...target,
      type: 'image',
      data: PNG,
      mimeType: 'image/png',
      caption: 'Este modelo',
    });
    expect(photo.status).toBe(200);
    const voice = await fake.sendInboundMedia({
      ...target,
      type: 'audio',
      data: OGG,
      mimeType: 'audio/ogg; codecs=opus',
      voice: true,
    });
    expect(voice.status).toBe(200);

    await page.getByRole('link', { name: 'Conversaciones' }).click();
    const row = page
      .getByRole('list', { name: 'Conversaciones' })
      .getByRole('link')
      .filter({ hasText: 'Rosa' });
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    const thread = page.getByRole('list', { name: 'Mensajes' });
    await thread.getByText('Este modelo').waitFor();
    // Kept by Conecta, served from its own copy: the browser decodes it.
    const image = thread.getByRole('img', { name: 'Imagen' });
    await image.waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      () => {
        const img = document.querySelector<HTMLImageElement>('.media-thumb img');
        return img !== null && img.complete && img.naturalWidth === 1;
      },
      undefined,
      { timeout: 30_000 },
    );
    const player = thread.getByLabel('Nota de voz');
    await player.waitFor({ timeout: 30_000 });
    expect(await player.evaluate((el) => el.tagName)).toBe('AUDIO');
    await thread.getByText('¿Hacen envíos a Lima?').waitFor({ timeout: 30_000 });
    await shot(page, 'media-01-thread');

    await page.getByRole('button', { name: 'Abrir imagen' }).click();
    const full = page.getByRole('dialog', { name: 'Imagen' });
    await full.getByRole('img', { name: 'Imagen' }).waitFor();
    await page.keyboard.press('Escape');
    await full.waitFor({ state: 'detached' });
  });

  it('offers a customer’s HTML “document” as a download card, and the browser downloads it rather than render it', async () => {
    const html = Buffer.from(
      '<!doctype html><script>document.title = "pwned"</script><p>factura</p>',
    );
    const sent = await fake.sendInboundMedia({
      webhookUrl: `${server.baseUrl}/api/whatsapp/webhook`,
      appSecret: APP_SECRET,
      phoneNumberId: PHONE_NUMBER_ID,
      from: CUSTOMER,
      type: 'document',
      data: html,
      mimeType: 'text/html',
      filename: 'factura.html',
    });
    expect(sent.status).toBe(200);
    const thread = page.getByRole('list', { name: 'Mensajes' });
    const card = thread.getByRole('group', { name: 'Archivo factura.html' });
    await card.waitFor({ timeout: 30_000 });
    const href = await card.getByRole('link', { name: 'Descargar' }).getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/messages\/[0-9a-f]{24}\/media$/);
    const tab = await page.context().newPage();
    const download = tab.waitForEvent('download');
    await tab.goto(`${server.baseUrl}${href ?? ''}`).catch(() => undefined);
    expect((await download).suggestedFilename()).toBe('factura.html');
    await tab.close();
  });
});
