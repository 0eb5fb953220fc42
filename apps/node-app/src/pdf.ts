/**
 * Print views as real PDF documents (manual handling during downtime): one message in its
 * readable form, and the downtime list (partners, held messages with their content, the manual
 * log). Rendered server-side with pdf-lib's standard Helvetica (WinAnsi: æ ø å Æ Ø Å and the other
 * Western European letters); characters outside WinAnsi are replaced, never dropped silently.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Actor, DowntimeView, MessageDetail, MessagingNode } from '@samhandling/messaging';
import type { RegisterPartner } from './register';
import { APPREC_STATUS_LABEL, INCOMING_LABEL, RECEIPT_LABEL, TRANSPORT_LABEL, readableLines, typeName, when } from './ui/html';

/** One block of a printed document. */
export type PdfBlock =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'text'; readonly text: string }
  /** A label and its value; `depth` indents nested fields. */
  | { readonly kind: 'field'; readonly label: string; readonly value: string; readonly depth?: number }
  | { readonly kind: 'page-break' };

/** A document to render. */
export interface PdfDocumentSpec {
  readonly title: string;
  /** Shown under the title and in every page's footer (e.g. organisation and time of printing). */
  readonly footer: string;
  readonly blocks: readonly PdfBlock[];
  /** Creation time written into the document information. */
  readonly now: Date;
}

// Windows-1252 (WinAnsiEncoding) beyond Latin-1: the characters the standard fonts can show.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const REPLACE: Readonly<Record<string, string>> = { '→': '->', '←': '<-', '≤': '<=', '≥': '>=', '\u00ad': '-', '\u2009': ' ', '\u202f': ' ', '\u2212': '-' };

/** Text the standard fonts can encode: WinAnsi kept, a few symbols spelled out, the rest as `?`. */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else if (ch === '\t') out += ' ';
    else if (REPLACE[ch] !== undefined) out += REPLACE[ch];
    else if (c < 0x20 || c === 0x7f) out += '';
    else out += '?';
  }
  return out;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const SIZE = { title: 16, heading: 12, text: 10, footer: 8 };
const LEADING = 1.35;
const INDENT = 12;

/** Splits `text` into lines no wider than `width` (words longer than a line are cut). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line !== '') lines.push(line);
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
        let n = rest.length - 1;
        while (n > 1 && font.widthOfTextAtSize(rest.slice(0, n), size) > width) n--;
        lines.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

/** Renders the document: A4, Helvetica, wrapped text, page numbers in the footer. */
export async function renderPdf(spec: PdfDocumentSpec): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(toWinAnsi(spec.title));
  doc.setCreator('Samhandling reference app');
  doc.setProducer('Samhandling (pdf-lib)');
  doc.setCreationDate(spec.now);
  doc.setModificationDate(spec.now);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const width = A4[0] - 2 * MARGIN;
  const bottom = MARGIN + 20;

  let page: PDFPage = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  const newPage = (): void => {
    page = doc.addPage(A4);
    y = A4[1] - MARGIN;
  };
  const line = (text: string, x: number, font: PDFFont, size: number): void => {
    if (y - size < bottom) newPage();
    y -= size;
    page.drawText(text, { x, y, size, font, color: rgb(0, 0, 0) });
    y -= size * (LEADING - 1);
  };

  for (const l of wrap(toWinAnsi(spec.title), bold, SIZE.title, width)) line(l, MARGIN, bold, SIZE.title);
  for (const l of wrap(toWinAnsi(spec.footer), regular, SIZE.footer, width)) line(l, MARGIN, regular, SIZE.footer);
  y -= 6;

  for (const block of spec.blocks) {
    switch (block.kind) {
      case 'page-break':
        newPage();
        break;
      case 'heading':
        y -= 6;
        if (y - 3 * SIZE.heading < bottom) newPage();
        for (const l of wrap(toWinAnsi(block.text), bold, SIZE.heading, width)) line(l, MARGIN, bold, SIZE.heading);
        y -= 2;
        break;
      case 'text':
        for (const l of wrap(toWinAnsi(block.text), regular, SIZE.text, width)) line(l, MARGIN, regular, SIZE.text);
        break;
      case 'field': {
        const x = MARGIN + Math.min(block.depth ?? 0, 8) * INDENT;
        const avail = MARGIN + width - x;
        const label = toWinAnsi(block.label);
        const value = toWinAnsi(block.value);
        const labelText = label === '' ? '' : `${label}${value === '' ? '' : ':'}`;
        const labelWidth = labelText === '' ? 0 : bold.widthOfTextAtSize(`${labelText} `, SIZE.text);
        if (labelWidth > avail * 0.45 || value === '') {
          for (const l of wrap(labelText, bold, SIZE.text, avail)) line(l, x, bold, SIZE.text);
          if (value !== '') for (const l of wrap(value, regular, SIZE.text, avail - INDENT)) line(l, x + INDENT, regular, SIZE.text);
          break;
        }
        const lines = wrap(value, regular, SIZE.text, avail - labelWidth);
        lines.forEach((l, i) => {
          if (i === 0) {
            if (y - SIZE.text < bottom) newPage();
            page.drawText(labelText, { x, y: y - SIZE.text, size: SIZE.text, font: bold });
          }
          line(l, x + labelWidth, regular, SIZE.text);
        });
        break;
      }
    }
  }

  const pages = doc.getPages();
  const footer = toWinAnsi(spec.footer);
  pages.forEach((p, i) => {
    const text = `${footer} – side ${String(i + 1)} av ${String(pages.length)}`;
    p.drawText(text, { x: MARGIN, y: MARGIN - 10, size: SIZE.footer, font: regular, color: rgb(0.3, 0.3, 0.3), maxWidth: width });
  });
  return doc.save();
}

/** The patient of a parsed message, if any. */
function patientOf(detail: MessageDetail): { familyName?: string; givenName?: string } | undefined {
  const p = detail.parsed as { msgHead?: { msgInfo?: { patient?: { familyName?: string; givenName?: string } } } } | undefined;
  return p?.msgHead?.msgInfo?.patient;
}

/** Summary fields of a message (as the UI's message page shows them). */
export function messageSummaryBlocks(detail: MessageDetail): PdfBlock[] {
  const f = (label: string, value: string): PdfBlock => ({ kind: 'field', label, value });
  if (detail.direction === 'outgoing') {
    const s = detail.summary as { msgId: string; type: string; senderHerId: number; receiverHerId: number; createdAt: string; transport: { state: keyof typeof TRANSPORT_LABEL; lastError?: string }; receipt: { state: keyof typeof RECEIPT_LABEL; status?: string } };
    return [
      f('Meldingstype', `${typeName(s.type)} (${s.type})`),
      f('Meldings-ID', s.msgId),
      f('Fra / til (HER)', `${String(s.senderHerId)} -> ${String(s.receiverHerId)}`),
      f('Opprettet', when(s.createdAt)),
      f('Transport', `${TRANSPORT_LABEL[s.transport.state]}${s.transport.lastError === undefined ? '' : ` – ${s.transport.lastError}`}`),
      f('Applikasjonskvittering', `${RECEIPT_LABEL[s.receipt.state]}${s.receipt.status === undefined ? '' : ` (status ${APPREC_STATUS_LABEL[s.receipt.status] ?? s.receipt.status})`}`),
    ];
  }
  const s = detail.summary as { msgId?: string; type?: string; senderHerId?: number; receiverHerId?: number; receivedAt: string; state: string };
  return [
    f('Meldingstype', `${typeName(s.type)}${s.type === undefined ? '' : ` (${s.type})`}`),
    f('Meldings-ID', s.msgId ?? ''),
    f('Fra / til (HER)', `${s.senderHerId === undefined ? '?' : String(s.senderHerId)} -> ${s.receiverHerId === undefined ? '?' : String(s.receiverHerId)}`),
    f('Mottatt', when(s.receivedAt)),
    f('Status', INCOMING_LABEL[s.state] ?? s.state),
  ];
}

/** The blocks of one message: summary, then the readable content (or the XML when unreadable). */
export function messageBlocks(detail: MessageDetail): PdfBlock[] {
  const patient = patientOf(detail);
  const name = [patient?.givenName, patient?.familyName].filter((x) => x !== undefined && x !== '').join(' ');
  return [
    { kind: 'heading', text: `${typeName(detail.summary.type)}${name === '' ? '' : ` – ${name}`}` },
    ...messageSummaryBlocks(detail),
    { kind: 'heading', text: 'Innhold' },
    ...(detail.parsed === undefined
      ? [{ kind: 'text', text: detail.xml ?? 'Meldingen kunne ikke leses.' } as const]
      : readableLines(detail.parsed).map((l): PdfBlock => ({ kind: 'field', label: l.label, value: l.value, depth: l.depth }))),
  ];
}

/** One message for manual handling. */
export function messagePdf(detail: MessageDetail, orgName: string, now: Date): Promise<Uint8Array> {
  return renderPdf({
    title: `Manuell håndtering: ${typeName(detail.summary.type)}`,
    footer: `Utskrift fra ${orgName} ${when(now.toISOString())}`,
    now,
    blocks: [
      ...messageBlocks(detail),
      { kind: 'heading', text: 'Overlevering' },
      { kind: 'text', text: 'Kanal (telefon, post, faks, bud): ____________________   Mottatt av: ____________________   Dato og tid: ______________' },
      { kind: 'text', text: 'Dokumenter overleveringen i nedetidsloggen på begge sider.' },
    ],
  });
}

/**
 * The downtime list for manual handling: every partner with its state and manual mode, each held
 * (or undeliverable) message with its content, and the manual-handling log.
 */
export function downtimePdf(view: DowntimeView, held: readonly MessageDetail[], orgName: string, now: Date, register?: readonly RegisterPartner[]): Promise<Uint8Array> {
  const state = (s: string): string => (s === 'up' ? 'I drift' : s === 'down' ? 'Nede' : 'Mulig nedetid');
  const blocks: PdfBlock[] = [{ kind: 'heading', text: 'Partnere' }];
  const tracked = new Map(view.partners.map((p) => [p.herId, p]));
  const line = (herId: number, name: string, depth: number): PdfBlock => {
    const p = tracked.get(herId);
    tracked.delete(herId);
    return { kind: 'field', depth, label: `${name} (HER ${String(herId)})`, value: p === undefined ? (depth === 0 ? 'I drift' : 'via organisasjonen') : `${state(p.state)}${p.since === undefined ? '' : ` siden ${when(p.since)}`}; ${String(p.heldMessages)} holdt tilbake${p.manualMode === true ? '; manuell modus' : ''}` };
  };
  for (const r of register ?? []) blocks.push(line(r.herId, r.name, r.endpoint ? 0 : 1));
  for (const p of [...tracked.values()]) blocks.push(line(p.herId, p.name, 0));
  blocks.push({ kind: 'heading', text: `Meldinger til manuell håndtering (${String(held.length)})` });
  if (held.length === 0) blocks.push({ kind: 'text', text: 'Ingen meldinger holdes tilbake.' });
  held.forEach((d, i) => {
    if (i > 0) blocks.push({ kind: 'page-break' });
    blocks.push(...messageBlocks(d));
  });
  blocks.push({ kind: 'heading', text: 'Logg over manuell utveksling' });
  if (view.manualLog.length === 0) blocks.push({ kind: 'text', text: 'Ingen manuelle overleveringer.' });
  for (const e of view.manualLog) {
    const dir = e.direction === 'received' ? 'mottatt' : 'sendt';
    blocks.push({ kind: 'field', label: `${when(e.at)} HER ${String(e.partnerHerId)}`, value: `${dir}, ${e.channel}: ${e.note}${e.msgId === undefined ? '' : ` (melding ${e.msgId})`} – ${e.actor}` });
  }
  return renderPdf({ title: 'Nedetid: liste for manuell håndtering', footer: `Utskrift fra ${orgName} ${when(now.toISOString())}`, now, blocks });
}

/** At most this many messages go into one downtime list. */
export const DOWNTIME_PDF_MAX_MESSAGES = 50;

/** The outgoing messages that need manual handling: held (manual mode) and undeliverable (dead letter), each read (audited). */
export async function manualHandlingMessages(node: MessagingNode, actor: Actor): Promise<MessageDetail[]> {
  const [held, dead] = await Promise.all([node.listOutgoing({ state: 'held', limit: DOWNTIME_PDF_MAX_MESSAGES }, actor), node.listOutgoing({ state: 'dead-letter', limit: DOWNTIME_PDF_MAX_MESSAGES }, actor)]);
  const out: MessageDetail[] = [];
  for (const m of [...held, ...dead].slice(0, DOWNTIME_PDF_MAX_MESSAGES)) {
    const d = await node.getMessage('outgoing', m.msgId, actor);
    if (d !== undefined) out.push(d);
  }
  return out;
}
