import type { DowntimeView, MessageDetail } from '@samhandling/messaging';
import { readPdf } from '../test/pdf-text';
import { downtimePdf, messagePdf, renderPdf, toWinAnsi } from './pdf';

const NOW = new Date('2025-03-04T08:00:00Z');

const detail: MessageDetail = {
  direction: 'outgoing',
  summary: {
    msgId: 'a1b2c3',
    type: 'LOG_UTSKRIVNINGSKLAR',
    senderHerId: 8142520,
    receiverHerId: 8143101,
    createdAt: '2025-03-04T08:00:00Z',
    transport: { state: 'held', attempts: 1 },
    receipt: { state: 'awaiting' },
  },
  parsed: {
    msgHead: { msgInfo: { type: { v: 'LOG_UTSKRIVNINGSKLAR', dn: 'Utskrivningsklar pasient' }, patient: { familyName: 'Ærø-Søndergård', givenName: 'Åse', idents: [{ id: '31129956715', typeId: { v: 'FNR', dn: 'Fødselsnummer' } }] } } },
    content: { hendelse: { tidspunkt: '2025-03-04T09:00:00+01:00', merknad: 'Pasienten må ha hjelp til påkledning → hjemmesykepleie' } },
  },
  xml: '<MsgHead/>',
} as unknown as MessageDetail;

describe('toWinAnsi', () => {
  test('keeps Norwegian letters and WinAnsi punctuation, spells out arrows, replaces the rest', () => {
    expect(toWinAnsi('æøå ÆØÅ – «sitat» €')).toBe('æøå ÆØÅ – «sitat» €');
    expect(toWinAnsi('a → b')).toBe('a -> b');
    expect(toWinAnsi('Ω\u0007x')).toBe('?x');
  });
});

describe('renderPdf', () => {
  test('a PDF that parses, with Norwegian letters, wrapping and page numbers', async () => {
    const long = 'Blåbærsyltetøy på brødskiva. '.repeat(400);
    const bytes = await renderPdf({ title: 'Prøve: ÆØÅ æøå', footer: 'Skien kommune', now: NOW, blocks: [{ kind: 'heading', text: 'Innhold' }, { kind: 'text', text: long }, { kind: 'field', label: 'Merknad', value: 'Øyvind', depth: 1 }] });
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const pdf = await readPdf(bytes);
    expect(pdf.pageCount).toBeGreaterThan(1);
    expect(pdf.title).toBe('Prøve: ÆØÅ æøå');
    const all = pdf.pages.join('');
    expect(all).toContain('Prøve: ÆØÅ æøå');
    expect(all).toContain('Blåbærsyltetøy');
    expect(all).toContain('Øyvind');
    expect(pdf.pages[0]).toContain(`side 1 av ${String(pdf.pageCount)}`);
    // Every line fits the page: no line of the long text is longer than the text itself would be unwrapped.
    expect(Math.max(...all.split('\n').map((l) => l.length))).toBeLessThan(200);
  });
});

describe('messagePdf and downtimePdf', () => {
  test('the message: summary, patient and readable content', async () => {
    const pdf = await readPdf(await messagePdf(detail, 'Sykehuset Telemark HF', NOW));
    const text = pdf.pages.join('');
    expect(pdf.title).toBe('Manuell håndtering: Melding om utskrivningsklar pasient');
    for (const s of ['Melding om utskrivningsklar pasient – Åse Ærø-Søndergård', 'a1b2c3', '8142520 -> 8143101', 'Holdt tilbake (nedetid)', 'påkledning -> hjemmesykepleie', 'Fødselsnummer (FNR)', 'Sykehuset Telemark HF']) expect(text).toContain(s);
  });

  test('the downtime list: register partners, tracked state, held messages and the log', async () => {
    const view: DowntimeView = {
      partners: [{ herId: 8143100, name: 'Skien kommune', state: 'down', since: '2025-03-04T06:00:00Z', heldMessages: 1, manualMode: true }],
      manualLog: [{ id: '1', partnerHerId: 8143100, direction: 'sent', msgId: 'a1b2c3', at: '2025-03-04T07:00:00Z', actor: 'operator:ola', channel: 'telefon', note: 'Lest opp for sykepleier Kåre' }],
    };
    const register = [
      { herId: 8143100, name: 'Skien kommune', kind: 'organisation', endpointHerId: 8143100, endpoint: true },
      { herId: 8143101, name: 'Sykepleietjeneste', kind: 'service', endpointHerId: 8143100, endpoint: false },
      { herId: 8150000, name: 'Porsgrunn kommune', kind: 'organisation', endpointHerId: 8150000, endpoint: true },
    ];
    const pdf = await readPdf(await downtimePdf(view, [detail], 'Sykehuset Telemark HF', NOW, register));
    const text = pdf.pages.join('');
    expect(pdf.pageCount).toBeGreaterThanOrEqual(1);
    for (const s of ['Skien kommune (HER 8143100)', 'Nede siden', 'Sykepleietjeneste (HER 8143101)', 'via organisasjonen', 'Porsgrunn kommune (HER 8150000)', 'Åse Ærø-Søndergård', 'Lest opp for sykepleier Kåre', 'Meldinger til manuell håndtering (1)', '1 holdt tilbake; manuell modus']) expect(text).toContain(s);
  });
});
