/**
 * HTML helpers for the server-rendered UI: escaping, the page layout (skip link, navigation,
 * downtime banner), Norwegian labels for states and codes, and a readable rendering of any parsed
 * message model.
 */
import { codeDisplayName } from '@samhandling/plo';
import type { DowntimeView, OutgoingTransportState, ReceiptState } from '@samhandling/messaging';

/** A fragment of trusted HTML (built by these helpers, with every value escaped). */
export interface Html {
  readonly __html: string;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Marks a string as trusted HTML. Only for literals and output of these helpers. */
export function raw(s: string): Html {
  return { __html: s };
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(p: Part): string {
  if (p === null || p === undefined || p === false || p === true) return '';
  if (Array.isArray(p)) return (p as readonly Part[]).map(render).join('');
  if (typeof p === 'object') return (p as Html).__html;
  return escapeHtml(String(p));
}

/** Tagged template: interpolated values are escaped unless they are {@link Html}. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return raw(out);
}

/** Norwegian labels. */
export const RECEIPT_LABEL: Readonly<Record<ReceiptState, string>> = {
  awaiting: 'Venter på kvittering',
  ok: 'Kvittert OK',
  rejected: 'Avvist',
  partial: 'OK, feil i delmelding',
  overdue: 'Kvittering forsinket',
  escalated: 'Eskalert til meldingsansvarlig',
  manual: 'Levert manuelt, ingen kvittering ventes',
  'not-expected': 'Ingen kvittering forventet',
};
export const TRANSPORT_LABEL: Readonly<Record<OutgoingTransportState, string>> = {
  queued: 'I kø',
  sending: 'Sendes',
  sent: 'Sendt',
  acknowledged: 'Levert (transportkvittering)',
  failed: 'Feilet, prøver igjen',
  'dead-letter': 'Stoppet',
  held: 'Holdt tilbake (nedetid)',
  manual: 'Levert manuelt (sendes ikke elektronisk)',
};
export const INCOMING_LABEL: Readonly<Record<string, string>> = {
  received: 'Mottatt',
  delivered: 'Levert til journal',
  rejected: 'Avvist',
  quarantined: 'I karantene',
  duplicate: 'Duplikat',
  receipt: 'Kvittering',
};
export const APPREC_STATUS_LABEL: Readonly<Record<string, string>> = { '1': 'OK', '2': 'Avvist', '3': 'OK, feil i delmelding' };
export const PHASE_LABEL: Readonly<Record<string, string>> = {
  initial: 'Ingen meldinger ennå',
  admitted: 'Innlagt',
  utskrivningsklar: 'Utskrivningsklar, venter på svar',
  waiting: 'Venter på kommunalt tilbud (betalingsdøgn løper)',
  receivable: 'Kommunen kan ta imot',
  discharged: 'Utskrevet',
  deceased: 'Død',
};
export const DEADLINE_STATUS_LABEL: Readonly<Record<string, string>> = {
  pending: 'Løper',
  met: 'Overholdt',
  breached: 'Oversittet',
  'not-applicable': 'Gjelder ikke',
  unknown: 'Ukjent',
};

/** The procedure's deadline rules in Norwegian. */
export const DEADLINE_RULE_LABEL: Readonly<Record<string, string>> = {
  'section-8-notice': 'Varsel til kommunen innen 24 timer etter innleggelse (§ 8)',
  'section-10-notify': 'Melding om utskrivningsklar pasient samme dag (§ 10)',
  'section-11-answer': 'Kommunens svar på utskrivningsklar pasient (§ 11)',
  utskrivningsrapport: 'Utskrivningsrapport',
};

const TASK_LABEL: Readonly<Record<string, string>> = {
  'answer-utskrivningsklar': 'Svar sykehuset om kommunen kan ta imot den utskrivningsklare pasienten',
  'report-offer-ready': 'Meld fra til sykehuset når det kommunale tilbudet er klart',
  'send-utskrivningsklar': 'Send melding om utskrivningsklar pasient',
  'send-utskrivningsrapport': 'Send utskrivningsrapport',
  'unclassified answer to LOG_UTSKRIVNINGSKLAR': 'Kommunens svar på utskrivningsklar pasient kunne ikke tolkes automatisk',
};

/** A task's or alarm's title from the engine in Norwegian (the engine's text when unknown). */
export function taskTitle(title: string): string {
  const known = TASK_LABEL[title];
  if (known !== undefined) return known;
  const deadline = /^deadline (\S+) breached$/.exec(title);
  if (deadline?.[1] !== undefined) return `Frist oversittet: ${DEADLINE_RULE_LABEL[deadline[1]] ?? deadline[1]}`;
  const dead = /^message (\S+) to (\d+) dead-lettered$/.exec(title);
  if (dead?.[1] !== undefined) return `Sending stoppet: ${typeName(dead[1])} til HER ${dead[2] ?? ''}`;
  const rec = /^AppRec (rejected|with errors): (.*)$/.exec(title);
  if (rec?.[1] !== undefined) return `${rec[1] === 'rejected' ? 'Avvist av mottaker' : 'Kvittering med feil'}: ${rec[2] ?? ''}`;
  if (title.startsWith('misdirected or unsupported message')) return 'Feiladressert eller ukjent melding i karantene';
  return title;
}

/** A task's detail from the engine in Norwegian. */
export function taskDetail(detail: string): string {
  if (detail.startsWith('The answer rule could not read the answer')) return 'Les svaret og velg hvordan det skal forstås: kan ta imot, kan ikke ta imot (med forventet dato) eller tilbudet er klart.';
  const m = /^expected (\d{4}-\d{2}-\d{2})$/.exec(detail);
  return m?.[1] === undefined ? detail : `Forventet klar ${m[1]}`;
}

/** The display name of a message type (8279), or the code. */
export function typeName(type: string | undefined): string {
  if (type === undefined) return 'Ukjent meldingstype';
  if (type === 'APPREC') return 'Applikasjonskvittering';
  return codeDisplayName('8279', type) ?? type;
}

/** A date-time in Norwegian local time (Europe/Oslo). */
export function when(iso: string | undefined): string {
  if (iso === undefined || iso === '') return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('nb-NO', { timeZone: 'Europe/Oslo', dateStyle: 'short', timeStyle: 'short' });
}

const KEY_LABEL: Readonly<Record<string, string>> = {
  msgHead: 'Hodemelding',
  msgInfo: 'Meldingsinformasjon',
  type: 'Meldingstype',
  msgId: 'Meldings-ID',
  genDate: 'Generert',
  sender: 'Avsender',
  receiver: 'Mottaker',
  organisation: 'Organisasjon',
  name: 'Navn',
  idents: 'Identifikatorer',
  id: 'ID',
  typeId: 'Type',
  patient: 'Pasient',
  familyName: 'Etternavn',
  givenName: 'Fornavn',
  middleName: 'Mellomnavn',
  content: 'Innhold',
  hendelse: 'Hendelse',
  tidspunkt: 'Tidspunkt',
  merknad: 'Merknad',
  informasjonOmForsendelsen: 'Informasjon om forsendelsen',
  forsendelsesstatus: 'Forsendelsesstatus',
  tilknyttetEnhet: 'Tilknyttet enhet',
  kontaktpersoner: 'Kontaktpersoner',
  questions: 'Forespørsler',
  question: 'Forespørsel',
  topic: 'Tema',
  answer: 'Svar',
  status: 'Status',
  documentId: 'Dokument-ID',
  reason: 'Årsak',
  description: 'Beskrivelse',
  utskrevetTil: 'Utskrevet til',
  opplysninger: 'Opplysninger',
  tekst: 'Tekst',
  conversationRef: 'Samtalereferanse',
  refToParent: 'Svar på melding',
  refToConversation: 'Første melding i samtalen',
  otherReceivers: 'Kopimottakere',
  attachments: 'Vedlegg',
  migVersion: 'MIG-versjon',
  processingStatus: 'Behandlingsstatus',
};

function isCoded(v: Record<string, unknown>): boolean {
  return typeof v['v'] === 'string' && Object.keys(v).every((k) => ['v', 'dn', 's', 'ot'].includes(k));
}

/** A readable rendering (nested description lists) of any parsed message model. */
export function readable(value: unknown, depth = 0): Html {
  if (depth > 12) return html`…`;
  if (value === null || value === undefined) return html`<span class="muted">–</span>`;
  if (typeof value !== 'object') return html`${String(value)}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return html`<span class="muted">ingen</span>`;
    return html`<ol class="readable-list">${value.map((v) => html`<li>${readable(v, depth + 1)}</li>`)}</ol>`;
  }
  const o = value as Record<string, unknown>;
  if (isCoded(o)) {
    const dn = typeof o['dn'] === 'string' ? o['dn'] : undefined;
    return html`${dn ?? ''}${dn === undefined ? '' : ' '}<span class="code">(${String(o['v'])})</span>`;
  }
  const entries = Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'definition' && !k.startsWith('_'));
  if (entries.length === 0) return html`<span class="muted">–</span>`;
  return html`<dl class="readable">${entries.map(([k, v]) => html`<dt>${KEY_LABEL[k] ?? k}</dt><dd>${readable(v, depth + 1)}</dd>`)}</dl>`;
}

/** One line of {@link readableLines}: a label (empty for list items) and a value at a depth. */
export interface ReadableLine {
  readonly depth: number;
  readonly label: string;
  readonly value: string;
}

/**
 * The same reading as {@link readable}, as flat indented lines (the PDF print view): a coded value
 * becomes "meaning (code)", a list item is numbered, a nested object indents its fields.
 */
export function readableLines(value: unknown, depth = 0, label = '', out: ReadableLine[] = []): ReadableLine[] {
  if (depth > 12) {
    out.push({ depth, label, value: '…' });
    return out;
  }
  if (value === null || value === undefined) {
    out.push({ depth, label, value: '–' });
    return out;
  }
  if (typeof value !== 'object') {
    out.push({ depth, label, value: String(value) });
    return out;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) out.push({ depth, label, value: 'ingen' });
    else {
      if (label !== '') out.push({ depth, label, value: '' });
      value.forEach((v, i) => readableLines(v, label === '' ? depth : depth + 1, `${String(i + 1)}.`, out));
    }
    return out;
  }
  const o = value as Record<string, unknown>;
  if (isCoded(o)) {
    const dn = typeof o['dn'] === 'string' ? o['dn'] : undefined;
    out.push({ depth, label, value: `${dn === undefined ? '' : `${dn} `}(${String(o['v'])})` });
    return out;
  }
  const entries = Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'definition' && !k.startsWith('_'));
  if (entries.length === 0) {
    out.push({ depth, label, value: '–' });
    return out;
  }
  const inner = label === '' ? depth : depth + 1;
  if (label !== '') out.push({ depth, label, value: '' });
  for (const [k, v] of entries) readableLines(v, inner, KEY_LABEL[k] ?? k, out);
  return out;
}

/** Navigation entries per role. */
function nav(role: 'kommune' | 'sthf', current: string): Html {
  const items: [string, string][] = [
    ['/', 'Oversikt'],
    ['/ui/innboks', 'Innboks'],
    ['/ui/utboks', 'Utboks'],
    ['/ui/opphold', 'Opphold'],
    ['/ui/send', role === 'sthf' ? 'Send melding' : 'Send melding'],
    ['/ui/oppgaver', 'Oppgaver og alarmer'],
    ['/ui/karantene', 'Karantene'],
    ['/ui/nedetid', 'Nedetid'],
  ];
  return html`<nav aria-label="Hovedmeny"><ul>${items.map(([href, label]) => html`<li><a href="${href}"${current === href ? raw(' aria-current="page"') : ''}>${label}</a></li>`)}</ul></nav>`;
}

/** The downtime banner (empty when every partner is up and none is in manual mode). */
export function downtimeBanner(d: DowntimeView | undefined): Html {
  if (d === undefined) return html``;
  const bad = d.partners.filter((p) => p.state !== 'up' || p.manualMode === true);
  if (bad.length === 0) return html``;
  return html`<div class="banner" role="alert"><strong>Nedetid:</strong> ${bad.map(
    (p) =>
      html`${p.name} (HER ${String(p.herId)}) ${p.state === 'down' ? 'er nede' : p.state === 'suspected' ? 'kan være nede' : 'er i drift'}${p.since === undefined ? '' : ` siden ${when(p.since)}`}${p.manualMode === true ? ', manuell modus er på' : ''}, ${String(p.heldMessages)} melding(er) holdt tilbake. `,
  )}<a href="/ui/nedetid">Manuell modus og utskrift</a></div>`;
}

/** Layout options. */
export interface PageOptions {
  readonly title: string;
  readonly orgName: string;
  readonly role: 'kommune' | 'sthf';
  readonly current: string;
  readonly user?: { readonly clientId: string; readonly role: string };
  readonly csrf?: string;
  readonly downtime?: DowntimeView;
  readonly notice?: string;
  readonly print?: boolean;
}

/** A complete page. */
export function page(o: PageOptions, body: Html): string {
  const userBar =
    o.user === undefined
      ? html``
      : html`<div class="user">Innlogget: ${o.user.clientId} (${o.user.role === 'operator' ? 'operatør' : 'kun lesing'})
          <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${o.csrf ?? ''}"><button type="submit">Logg ut</button></form></div>`;
  return `<!doctype html>${
    html`<html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} – ${o.orgName}</title><link rel="stylesheet" href="/static/app.css"></head>
<body class="${o.role}${o.print === true ? ' print-page' : ''}"><a class="skip" href="#main">Hopp til hovedinnhold</a>
<header><div class="brand">${o.orgName} <span class="muted">– Samhandling ${o.role === 'sthf' ? '(sykehus)' : '(kommune)'}</span></div>${userBar}${o.user === undefined ? '' : nav(o.role, o.current)}</header>
${downtimeBanner(o.downtime)}
<main id="main" tabindex="-1">${o.notice === undefined ? '' : html`<p class="notice" role="status">${o.notice}</p>`}<h1>${o.title}</h1>${body}</main>
<script src="/static/app.js"></script></body></html>`.__html
  }`;
}

/** The stylesheet (screen + print). */
export const APP_CSS = `
:root{--fg:#1b1b1b;--muted:#5a5a5a;--accent:#00509e;--bg:#fff;--line:#c8c8c8;--warn:#8a1c00;--ok:#0b6e2b;--soft:#f2f5f9}
*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
body.sthf header{border-top:6px solid #6b2c91}body.kommune header{border-top:6px solid #00509e}
.skip{position:absolute;left:-999px;top:0;background:#ffd;padding:.5rem 1rem;z-index:10}.skip:focus{left:0}
header{padding:.5rem 1rem;border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem}
.brand{font-weight:700;font-size:1.1rem}.user{margin-left:auto;font-size:.9rem}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;width:100%}nav{width:100%}
nav a{color:var(--accent);text-decoration:none;padding:.2rem .1rem}nav a[aria-current=page]{font-weight:700;border-bottom:3px solid var(--accent)}
a:focus,button:focus,input:focus,select:focus,textarea:focus,main:focus{outline:3px solid #ffbf47;outline-offset:2px}
main{padding:1rem;max-width:1260px}h1{font-size:1.5rem;margin:.2rem 0 1rem}h2{font-size:1.2rem;margin:1.4rem 0 .6rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:var(--soft)}
.muted{color:var(--muted)}.code{color:var(--muted);font-size:.9em}.ok{color:var(--ok);font-weight:600}.bad{color:var(--warn);font-weight:600}
.banner{background:#fff0e6;border:2px solid var(--warn);padding:.6rem 1rem;margin:0}.notice{background:#e8f4ea;border-left:4px solid var(--ok);padding:.5rem 1rem}
.error{background:#fde8e8;border-left:4px solid var(--warn);padding:.5rem 1rem}
form.stack{display:grid;gap:.6rem;max-width:40rem;padding:1rem;border:1px solid var(--line);margin:0 0 1.2rem;background:var(--soft)}
form.stack label{display:grid;gap:.2rem;font-weight:600}form.inline{display:inline}
fieldset{border:1px solid var(--line);padding:.5rem .8rem}legend{font-weight:600}form.stack fieldset label{display:flex;gap:.5rem;align-items:center;font-weight:400;padding:.15rem 0}form.stack label>input,form.stack label>select,form.stack label>textarea{font-weight:400}
input,select,textarea,button{font:inherit;padding:.35rem .5rem}button{background:var(--accent);color:#fff;border:0;border-radius:3px;cursor:pointer;padding:.4rem .9rem}
button.secondary{background:#fff;color:var(--accent);border:1px solid var(--accent)}
.columns{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.columns>section{min-width:0}
pre.xml{white-space:pre-wrap;word-break:break-all;background:var(--soft);padding:.6rem;font-size:.8rem;max-height:36rem;overflow:auto;border:1px solid var(--line)}
dl.readable{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem}dl.readable dt{font-weight:600}dl.readable dd{margin:0}
ol.readable-list{margin:0;padding-left:1.2rem}
ol.timeline{list-style:none;padding:0;border-left:3px solid var(--line);margin-left:.5rem}ol.timeline li{padding:.3rem .8rem;position:relative}
ol.timeline li::before{content:"";position:absolute;left:-8px;top:.8rem;width:13px;height:13px;border-radius:50%;background:var(--accent)}
.days{display:flex;flex-wrap:wrap;gap:.3rem;list-style:none;padding:0}.days li{border:1px solid var(--warn);padding:.1rem .4rem;border-radius:3px}
.print-only{display:none}
@media print{header nav,.user,.skip,.no-print,form,button,.banner a{display:none!important}.print-only{display:block}main{max-width:none;padding:0}
body{font-size:11pt}pre.xml{max-height:none;font-size:7pt}.columns{grid-template-columns:1fr}a{color:inherit;text-decoration:none}}
`;

/** The only script: a print button (no inline scripts under the Content-Security-Policy). */
export const APP_JS = `document.addEventListener('click',function(e){var t=e.target;if(t&&t.getAttribute&&t.getAttribute('data-action')==='print'){e.preventDefault();window.print();}});`;
