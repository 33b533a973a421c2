import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { join } from 'node:path';
import { en } from '../src/lib/i18n/en';
import { es, type MessageKey } from '../src/lib/i18n/es';
import {
  closeBrowser,
  describeWithChromium,
  ensureScreenshotDir,
  LAUNCH,
  SCREENSHOTS,
  startServer,
  type RunningServer,
} from './support';

type Lang = 'es' | 'en';
const DICT = { es, en } as const;

/**
 * Dictionary sentences of the other language found in the page text: a Spanish screen must show no
 * English message (and the reverse). Words both languages share ("WhatsApp", "Chatbot") are skipped.
 */
function otherLanguageTexts(text: string, lang: Lang): string[] {
  const mine = DICT[lang];
  const other = DICT[lang === 'es' ? 'en' : 'es'];
  const mineValues = Object.values(mine);
  const found: string[] = [];
  for (const key of Object.keys(es) as MessageKey[]) {
    const fixed = (other[key].split(/\{\w+\}/)[0] ?? '').trim();
    if (fixed.length < 8 || mineValues.some((v) => v.includes(fixed))) continue;
    if (text.includes(fixed)) found.push(`${key}: "${fixed}"`);
  }
  // Server-originated English that once leaked into the Spanish UI.
  if (lang === 'es') {
    for (const word of ['not found', 'Test User', 'GREEN', 'VERIFIED', 'Conversation '])
      if (text.includes(word)) found.push(`server text: "${word}"`);
  }
  return found;
}

async function expectOneLanguage(page: Page, lang: Lang): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
  const text = await page.locator('body').innerText();
  expect(otherLanguageTexts(text, lang)).toEqual([]);
}

/** Every page of the demo path, and the panels on it (with what shows they loaded), per language. */
const PAGES: Record<Lang, [link: string, regions: [name: string, loaded: string][]][]> = {
  es: [
    ['Chatbots', []],
    ['Ajustes', [['Registro de auditoría', 'tbody tr']]],
    [
      'Integraciones',
      [
        ['Coste', 'table, p:not(.small)'],
        ['Lo que cobra Meta', 'p'],
      ],
    ],
    ['Conversaciones', []],
  ],
  en: [
    ['Chatbots', []],
    ['Settings', [['Audit log', 'tbody tr']]],
    [
      'Integrations',
      [
        ['Cost', 'table, p:not(.small)'],
        ['What Meta charges', 'p'],
      ],
    ],
    ['Conversations', []],
  ],
};

/** Walks every page in one language: no console error (checked after each test), no other language. */
async function walkPages(page: Page, lang: Lang): Promise<void> {
  for (const [link, regions] of PAGES[lang]) {
    await page.getByRole('navigation').getByRole('link', { name: link }).click();
    await page.getByRole('heading', { name: link, level: 1 }).waitFor();
    for (const [name, loaded] of regions) {
      await page.getByRole('region', { name, exact: true }).locator(loaded).first().waitFor();
    }
    await expectOneLanguage(page, lang);
  }
}

// `npm start` with nothing configured: demo mode, an in-process fake Meta, no Meta account needed.
describeWithChromium('demo mode: the whole WhatsApp path with no Meta account', () => {
  jest.setTimeout(150_000);
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    ensureScreenshotDir();
    server = await startServer({});
    browser = await chromium.launch(LAUNCH);
    page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'es-ES' });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() !== 'error') return;
      // The one expected failure: asking who is signed in before anyone is (401, then /login).
      if (m.location().url.endsWith('/api/v1/auth/me') && m.text().includes('401')) return;
      consoleErrors.push(`${m.text()} (${m.location().url})`);
    });
  }, 480_000);

  afterAll(async () => {
    await closeBrowser(browser);
    await server?.stop();
  }, 60_000);

  afterEach(() => {
    expect(consoleErrors).toEqual([]);
  });

  it('the first npm start prints the demo sign-in last, after the server listens', () => {
    const lines = server
      .output()
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const listening = lines.findIndex((l) => l.includes('Conecta is running at'));
    const signIn = lines.findIndex((l) => l.includes('Demo sign-in:'));
    expect(listening).toBeGreaterThanOrEqual(0);
    expect(signIn).toBeGreaterThan(listening);
    expect(lines.at(-1)).toContain('Demo sign-in:');
  });

  it('in Spanish: the demo panel says what is missing, then connects, simulates and shows the delivered reply', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await expectOneLanguage(page, 'es');
    await page.getByLabel('Correo electrónico').fill(server.email);
    await page.getByLabel('Contraseña').fill(server.password);
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.getByRole('navigation', { name: 'Navegación principal' }).waitFor();

    // Before any WhatsApp: the panel is disabled and says so, with the way forward.
    const panel = page.getByRole('region', { name: 'Simular mensaje de WhatsApp' });
    await panel.getByText('Este chatbot aún no tiene WhatsApp.', { exact: false }).waitFor();
    expect(await panel.getByRole('button', { name: 'Simular mensaje' }).isDisabled()).toBe(true);
    await expectOneLanguage(page, 'es');
    await panel.getByRole('link', { name: 'Conectar WhatsApp' }).click();

    await page.getByRole('heading', { name: 'Integraciones', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Conectar', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Conectar WhatsApp Business' });
    await dialog.waitFor();
    await expectOneLanguage(page, 'es');
    await dialog.getByRole('button', { name: 'Usar credenciales de demo' }).click();
    await dialog.getByRole('button', { name: 'Guardar' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('article', { name: 'WhatsApp Business' })
      .getByText('Conectado', { exact: true })
      .waitFor();
    await expectOneLanguage(page, 'es');

    await page.getByRole('link', { name: 'Conversaciones' }).click();
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
    await expectOneLanguage(page, 'es');
    await page.screenshot({ path: join(SCREENSHOTS, '20-demo-delivered.png'), fullPage: true });
    await walkPages(page, 'es');
  });

  it('in English: the language is remembered, <html lang> follows it, and the demo path speaks English only', async () => {
    await page.getByRole('link', { name: 'Ajustes' }).click();
    await page.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await expectOneLanguage(page, 'en');

    await page.getByRole('link', { name: 'Integrations' }).click();
    await page
      .getByRole('article', { name: 'WhatsApp Business' })
      .getByText('Connected', { exact: true })
      .waitFor();
    await expectOneLanguage(page, 'en');

    await page.getByRole('link', { name: 'Conversations' }).click();
    const panel = page.getByRole('region', { name: 'Simulate a WhatsApp message' });
    await panel.getByLabel(/^Customer's number/).fill('34600999888');
    await panel.getByLabel(/^Contact name/).fill('Mary Demo');
    await panel.getByLabel(/^Message/).fill('Do you ship to Scotland?');
    await panel.getByRole('button', { name: 'Simulate message' }).click();
    await page.getByText('Simulated message sent', { exact: false }).waitFor();
    const row = page
      .getByRole('list', { name: 'Conversations' })
      .getByRole('link')
      .filter({ hasText: 'Mary Demo' });
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    const thread = page.getByRole('list', { name: 'Messages' });
    await thread.getByText('Do you ship to Scotland?').waitFor();
    await thread
      .getByText(/Delivered|Read/)
      .first()
      .waitFor({ timeout: 45_000 });
    await expectOneLanguage(page, 'en');
    await walkPages(page, 'en');
  });
});
