/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The web UIs of both apps in Debian's Chromium (playwright-core; no browser download), over the
 * real engine: on the hospital UI a user logs in with an operator token, admits a patient, sends
 * the notice and declares the patient utskrivningsklar; the municipality UI shows the notice and
 * its AppRec; the user answers "cannot receive yet" with an expected date, and two days later
 * "the offer is ready"; the hospital UI shows the answers and two payment days. Also: keyboard
 * access (skip link, tab order to the main actions, labelled fields), the print view with its
 * server-side PDF, and the downtime page with every partner of the address register.
 * Screenshots and the downloaded PDFs go to tmp/test-artifacts/.
 *
 * Skips (with a message) when /usr/bin/chromium is absent; .ci/run installs Debian's `chromium`.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { readPdf } from './pdf-text';
import { startRealPair, TEST_TIMEOUT_MS, until, WAIT_MS, type RealPair } from './real-pair';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve(__dirname, '../../../tmp/test-artifacts');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`browser test skipped: ${CHROMIUM} not found (install Debian's chromium package; .ci/run does)`);
const maybe = hasChromium ? describe : describe.skip;
jest.setTimeout(TEST_TIMEOUT_MS);

let pair: RealPair;
let context: BrowserContext;
let profile: string;
let sthf: Page;
let kommune: Page;

maybe('the hospital stay through both web UIs in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'samhandling-chromium-'));
    pair = await startRealPair();
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 800 },
      locale: 'nb-NO',
      timezoneId: 'Europe/Oslo',
    });
    context.setDefaultTimeout(Math.max(15_000, WAIT_MS / 3));
    sthf = await context.newPage();
    kommune = await context.newPage();
  }, 2 * WAIT_MS);

  afterAll(async () => {
    await context?.close();
    await pair?.stop();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  const shot = async (page: Page, name: string): Promise<void> => {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
  };

  /** Reloads until the text is visible (the engines work in the background). */
  const reloadUntil = async (page: Page, text: string | RegExp): Promise<void> => {
    await until(`the page to show ${String(text)}`, async () => {
      if (await page.getByText(text).first().isVisible()) return true;
      await page.reload();
      return page.getByText(text).first().isVisible();
    });
  };

  /** Logs in with the keyboard only: the token field has focus, Enter submits. */
  const login = async (page: Page, url: string, token: string): Promise<void> => {
    await page.bringToFront();
    await page.goto(`${url}/`);
    await page.getByRole('heading', { name: 'Logg inn' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
    await page.keyboard.type(token);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Oversikt' }).waitFor();
  };

  const fillPatient = async (page: Page, type: string): Promise<void> => {
    await page.locator(`#fnr-${type}`).fill('31129956715');
    await page.locator(`#given-${type}`).fill('Kari');
    await page.locator(`#family-${type}`).fill('Nordmann');
  };

  test('the hospital admits the patient, sends the notice and declares the patient utskrivningsklar', async () => {
    await sthf.goto(`${pair.sthf.url}/`);
    await shot(sthf, '01-sthf-login');
    await login(sthf, pair.sthf.url, pair.sthf.tokens.operator);
    await shot(sthf, '02-sthf-oversikt');

    await sthf.getByRole('link', { name: 'Send melding' }).click();
    await sthf.getByRole('heading', { name: 'Send melding', level: 1 }).waitFor();
    await shot(sthf, '03-sthf-send');
    await fillPatient(sthf, 'LOG_INNLAGT');
    await sthf.getByLabel('Mottaker').first().selectOption('8143101');
    await sthf.locator('#m-LOG_INNLAGT').fill('Innlagt etter fall i hjemmet');
    await sthf.getByRole('button', { name: 'Meld innlagt pasient', exact: true }).click();
    await sthf.getByText('Meldingen er sendt.').waitFor();
    await sthf.getByRole('heading', { name: 'Melding om innlagt pasient – Kari Nordmann' }).waitFor();

    await sthf.getByRole('link', { name: 'Send melding' }).click();
    await fillPatient(sthf, 'HELSEOPPL_SOKNAD');
    await sthf.locator('#to-HELSEOPPL_SOKNAD').selectOption('8143102');
    await sthf.getByLabel('Forventet behov etter utskrivning').fill('Trenger hjemmesykepleie morgen og kveld etter utskrivning.');
    await sthf.getByRole('button', { name: 'Send varsel til kommunen', exact: true }).click();
    await sthf.getByText('Meldingen er sendt.').waitFor();

    await sthf.getByRole('link', { name: 'Send melding' }).click();
    await fillPatient(sthf, 'LOG_UTSKRIVNINGSKLAR');
    await sthf.locator('#to-LOG_UTSKRIVNINGSKLAR').selectOption('8143101');
    await sthf.locator('#m-LOG_UTSKRIVNINGSKLAR').fill('Utskrivningsklar fra i dag');
    await sthf.getByRole('button', { name: 'Meld utskrivningsklar pasient', exact: true }).click();
    await sthf.getByText('Meldingen er sendt.').waitFor();
    await reloadUntil(sthf, 'Kvittert OK');
    await shot(sthf, '04-sthf-utskrivningsklar-kvittert');

    await sthf.getByRole('link', { name: 'Utboks' }).click();
    await reloadUntil(sthf, /^Kvittert OK$/);
    expect(await sthf.getByRole('cell', { name: 'Kvittert OK' }).count()).toBe(3);
    await shot(sthf, '05-sthf-utboks');
  });

  test('the municipality sees the notice with its AppRec and answers "cannot receive yet"', async () => {
    await login(kommune, pair.kommune.url, pair.kommune.tokens.operator);
    await kommune.getByRole('link', { name: 'Innboks' }).click();
    await reloadUntil(kommune, 'Melding om utskrivningsklar pasient');
    const row = kommune.getByRole('row').filter({ hasText: 'Melding om utskrivningsklar pasient' });
    expect(await row.getByText('AppRec: OK').isVisible()).toBe(true);
    expect(await row.getByText('Levert til journal').isVisible()).toBe(true);
    await shot(kommune, '06-kommune-innboks');

    await row.getByRole('link', { name: 'Melding om utskrivningsklar pasient' }).click();
    await kommune.getByRole('heading', { name: 'Svar på utskrivningsklar pasient' }).waitFor();
    expect(await kommune.getByText('Utskrivningsklar fra i dag').first().isVisible()).toBe(true);
    expect(await kommune.getByText('AppRec: OK').isVisible()).toBe(true);
    await shot(kommune, '07-kommune-melding');
    await kommune.getByLabel('Nei, ikke ennå').check();
    await kommune.getByLabel('Forventet klar dato (ved «ikke ennå»)').fill('2025-03-06');
    await kommune.getByLabel('Melding til sykehuset').fill('Venter på ledig plass i hjemmesykepleien.');
    await shot(kommune, '08-kommune-svar-utfylt');
    await kommune.getByRole('button', { name: 'Send svar', exact: true }).click();
    await kommune.getByText('Meldingen er sendt.').waitFor();
    await reloadUntil(kommune, 'Kvittert OK');
    await shot(kommune, '09-kommune-svar-kvittert');
  });

  test('two days later the municipality reports the offer ready; the hospital shows the answers and two payment days', async () => {
    pair.clock.advance(2 * 86_400_000);
    // Two days on, yesterday's sessions have expired: both users log in again.
    await login(kommune, pair.kommune.url, pair.kommune.tokens.operator);
    await kommune.getByRole('link', { name: 'Innboks' }).click();
    await kommune.getByRole('row').filter({ hasText: 'Melding om utskrivningsklar pasient' }).getByRole('link').click();
    await kommune.getByLabel('Tilbudet er nå klart').check();
    await kommune.getByRole('button', { name: 'Send svar', exact: true }).click();
    await kommune.getByText('Meldingen er sendt.').waitFor();
    await reloadUntil(kommune, 'Kvittert OK');

    await login(sthf, pair.sthf.url, pair.sthf.tokens.operator);
    await sthf.getByRole('link', { name: 'Opphold', exact: true }).click();
    await reloadUntil(sthf, 'Kommunen kan ta imot');
    await sthf.getByRole('link', { name: /^Opphold fra / }).first().click();
    await sthf.getByRole('heading', { name: 'Betalingsdøgn' }).waitFor();
    await shot(sthf, '10-sthf-opphold');
    expect(await sthf.getByText('Kommunen kan ikke ta imot pasienten ennå. Forventet klar: 2025-03-06. Venter på ledig plass i hjemmesykepleien.').isVisible()).toBe(true);
    expect(await sthf.getByText('Tilbudet er klart: kommunen kan nå ta imot pasienten.').isVisible()).toBe(true);
    expect(await sthf.getByText('det kommunale tilbudet er klart').isVisible()).toBe(true);
    expect(await sthf.getByTestId('payment-days').innerText()).toBe('2');
    expect(await sthf.getByRole('list', { name: 'Betalingsdøgn' }).innerText()).toContain('2025-03-04');
    await sthf.getByRole('heading', { name: 'Betalingsdøgn' }).scrollIntoViewIfNeeded();
    await shot(sthf, '11-sthf-opphold-betalingsdogn');
  });

  test('keyboard: the skip link comes first, tab order reaches the navigation and the form actions, every field has a label', async () => {
    await sthf.bringToFront();
    await sthf.goto(`${pair.sthf.url}/ui/send`);
    await sthf.keyboard.press('Tab');
    expect(await sthf.evaluate(() => document.activeElement?.textContent)).toBe('Hopp til hovedinnhold');
    await shot(sthf, '12-sthf-skip-link');
    const reached: string[] = [];
    while (reached.length < 60 && reached.at(-1) !== 'BUTTON:Meld innlagt pasient') {
      await sthf.keyboard.press('Tab');
      reached.push(await sthf.evaluate(() => {
        const e = document.activeElement as HTMLElement | null;
        if (e === null) return '';
        const label = e.id === '' ? null : document.querySelector(`label[for="${e.id}"]`);
        return `${e.tagName}:${(label?.childNodes[0]?.textContent ?? e.textContent ?? '').trim().slice(0, 40)}`;
      }));
    }
    expect(reached).toEqual(expect.arrayContaining(['BUTTON:Logg ut', 'A:Oversikt', 'A:Innboks', 'A:Opphold', 'A:Nedetid', 'INPUT:Fødselsnummer', 'SELECT:Mottaker', 'BUTTON:Meld innlagt pasient']));
    // Typing into the focused field works (focus is visible and real).
    const unlabelled = await sthf.evaluate(() =>
      [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter((e) => (e as HTMLInputElement).labels?.length === 0 && !e.hasAttribute('aria-label'))
        .map((e) => e.outerHTML),
    );
    expect(unlabelled).toEqual([]);

    // The answer form on the municipality side: every field labelled.
    await kommune.bringToFront();
    await kommune.getByRole('link', { name: 'Innboks' }).click();
    await kommune.getByRole('row').filter({ hasText: 'Melding om utskrivningsklar pasient' }).getByRole('link').click();
    const fields = await kommune.evaluate(() =>
      [...document.querySelectorAll('form.stack input:not([type=hidden]), form.stack textarea')].map((e) => (e as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? ''),
    );
    expect(fields).toEqual(['Ja, kommunen kan ta imot pasienten', 'Nei, ikke ennå', 'Tilbudet er nå klart', 'Forventet klar dato (ved «ikke ennå»)', 'Melding til sykehuset']);
  });

  test('the print view renders the message for manual handling without navigation and links the server-side PDF', async () => {
    await sthf.bringToFront();
    await sthf.getByRole('link', { name: 'Utboks' }).click();
    await sthf.getByRole('link', { name: 'Melding om utskrivningsklar pasient' }).click();
    await sthf.getByRole('link', { name: 'Utskrift for manuell håndtering' }).click();
    await sthf.getByRole('heading', { name: 'Manuell håndtering: Melding om utskrivningsklar pasient' }).waitFor();
    expect(await sthf.getByRole('button', { name: 'Skriv ut denne siden', exact: true }).isVisible()).toBe(true);
    await shot(sthf, '13-sthf-utskrift-skjerm');
    await sthf.emulateMedia({ media: 'print' });
    expect(await sthf.getByRole('navigation', { name: 'Hovedmeny' }).isVisible()).toBe(false);
    expect(await sthf.getByRole('button', { name: 'Skriv ut denne siden', exact: true }).isVisible()).toBe(false);
    expect(await sthf.getByText('Nordmann').first().isVisible()).toBe(true);
    await shot(sthf, '14-sthf-utskrift-print');
    await sthf.emulateMedia({ media: 'screen' });

    // The server-side PDF behind the link, fetched with the browser's session.
    const link = sthf.getByRole('link', { name: 'Last ned PDF for manuell håndtering' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/\/utskrift\.pdf$/);
    const res = await context.request.get(`${pair.sthf.url}${href ?? ''}`);
    expect([res.status(), res.headers()['content-type']]).toEqual([200, 'application/pdf']);
    const body = await res.body();
    writeFileSync(join(ARTIFACTS, 'sthf-melding.pdf'), body);
    const pdf = await readPdf(new Uint8Array(body));
    expect(pdf.pages.join('')).toContain('Melding om utskrivningsklar pasient – Kari Nordmann');
  });

  test('the downtime page lists every partner of the address register and links the manual-handling PDF', async () => {
    await sthf.bringToFront();
    await sthf.getByRole('link', { name: 'Nedetid' }).click();
    await sthf.getByRole('heading', { name: 'Nedetid og manuell håndtering', level: 1 }).waitFor();
    const table = sthf.getByTestId('downtime-partners');
    for (const name of ['Skien kommune (HER 8143100)', 'Sykepleietjeneste (HER 8143101)', 'Saksbehandler pleie og omsorg (HER 8143102)']) expect(await table.getByText(name).isVisible()).toBe(true);
    expect(await sthf.getByRole('button', { name: 'Slå på manuell modus for HER 8143100' }).isVisible()).toBe(true);
    expect(await sthf.getByRole('button', { name: 'Slå på manuell modus for HER 8143101' }).count()).toBe(0);
    await shot(sthf, '15-sthf-nedetid');
    const res = await context.request.get(`${pair.sthf.url}/ui/nedetid/utskrift.pdf`);
    expect([res.status(), res.headers()['content-type']]).toEqual([200, 'application/pdf']);
    writeFileSync(join(ARTIFACTS, 'sthf-nedetid.pdf'), await res.body());
    expect((await readPdf(new Uint8Array(await res.body()))).pages.join('')).toContain('Sykepleietjeneste (HER 8143101)');
  });
});
