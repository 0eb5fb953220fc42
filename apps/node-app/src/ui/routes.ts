/**
 * The web UI: server-rendered pages in Norwegian, keyboard accessible (skip link, labels, native
 * controls, visible focus), one stylesheet with a print layout. Login with an operator (or
 * read-only) API token opens an HttpOnly, SameSite=Strict session cookie; every form carries the
 * session's CSRF token and every POST must come from our own origin.
 */
import type { IncomingMessage } from 'node:http';
import { UTSKRIVNINGSKLAR_FEEDBACK_TOPIC, checkPersonId } from '@samhandling/plo';
import { classifyAnswerOrFail, isEngineSerial } from '../api';
import type { Actor, AnswerClassificationInput, DowntimeView, MessageDetail, MessagingNode, SubmitMessageInput, TaskView } from '@samhandling/messaging';
import { actorOf, authenticateToken, can, safeEqual, type Permission, type Session, type SessionStore, type TokenEntry } from '../auth';
import type { AppConfig } from '../config';
import { HttpError, parseCookies, readForm, redirect, sendBinary, sendText, type RequestContext, type Router } from '../http';
import type { Logger } from '../logger';
import { downtimePdf, manualHandlingMessages, messagePdf } from '../pdf';
import { registerPartners } from '../register';
import {
  APPREC_STATUS_LABEL,
  DEADLINE_RULE_LABEL,
  APP_CSS,
  APP_JS,
  DEADLINE_STATUS_LABEL,
  INCOMING_LABEL,
  PHASE_LABEL,
  RECEIPT_LABEL,
  TRANSPORT_LABEL,
  html,
  page,
  raw,
  readable,
  taskDetail,
  taskTitle,
  typeName,
  when,
  type Html,
} from './html';

/**
 * Name of the session cookie of an app. Per role: cookies are per host, not per port, so two apps
 * on one host (as `npm start` runs them) would otherwise log each other's users out.
 */
export function sessionCookieName(role: 'kommune' | 'sthf'): string {
  return `sh_session_${role}`;
}

/** What the UI needs. */
export interface UiDeps {
  readonly node: MessagingNode;
  readonly config: AppConfig;
  readonly sessions: SessionStore;
  readonly tokens: () => readonly TokenEntry[];
  readonly clock: () => Date;
  readonly logger: Logger;
}

interface UiCtx extends RequestContext {
  readonly session: Session;
  readonly actor: Actor;
}

/** A Person-like value from a parsed message. */
interface PersonLike {
  readonly familyName?: string;
  readonly givenName?: string;
  readonly idents?: readonly { readonly id?: string; readonly typeId?: { readonly v?: string } | string }[];
}

function patientOf(detail: MessageDetail): PersonLike | undefined {
  const p = detail.parsed as { msgHead?: { msgInfo?: { patient?: PersonLike } } } | undefined;
  return p?.msgHead?.msgInfo?.patient;
}

function personName(p: PersonLike | undefined): string {
  if (p === undefined) return '';
  return [p.givenName, p.familyName].filter((x) => x !== undefined && x !== '').join(' ');
}

function sameOrigin(req: IncomingMessage): boolean {
  const host = req.headers.host;
  const origin = req.headers.origin ?? req.headers.referer;
  if (host === undefined) return false;
  if (origin === undefined) return true; // non-browser clients; the CSRF token still applies
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Why a utskrivningsklar period ended, in Norwegian. */
const END_REASON_LABEL: Readonly<Record<string, string>> = {
  'can-receive': 'kommunen kan ta imot pasienten',
  'offer-ready': 'det kommunale tilbudet er klart',
  avmelding: 'avmeldt (trenger sykehusbehandling)',
  discharged: 'pasienten er utskrevet',
  deceased: 'pasienten er død',
};

/** The municipality's answer as the procedure reads it, in Norwegian. */
const ANSWER_LABEL: Readonly<Record<string, string>> = {
  'can-receive': 'kan ta imot pasienten',
  'cannot-receive': 'kan ikke ta imot pasienten ennå',
  'offer-ready': 'tilbudet er klart',
};

/** The alarm the engine raises for an answer its rule could not read (ADR 0014). */
const UNCLASSIFIED_PREFIX = 'unclassified-answer:';

/** The MsgId of an open `unclassified-answer:<msgId>` alarm, else undefined. */
function unclassifiedAnswerOf(t: TaskView): string | undefined {
  if (t.done || !t.id.startsWith(UNCLASSIFIED_PREFIX)) return undefined;
  const msgId = t.msgId ?? t.id.slice(UNCLASSIFIED_PREFIX.length);
  return msgId === '' ? undefined : msgId;
}

/** The texts on topic 7322 = 7 (answer to utskrivningsklar) in a parsed dialogue message. */
function answerTexts(parsed: unknown): string[] {
  const content = (parsed as { content?: { questions?: readonly { topic?: { v?: string }; question?: string }[]; question?: { topic?: { v?: string } }; answer?: string } } | undefined)?.content;
  if (content === undefined) return [];
  const out: string[] = [];
  for (const q of content.questions ?? []) if (q.topic?.v === '7' && typeof q.question === 'string') out.push(q.question);
  if (content.question?.topic?.v === '7' && typeof content.answer === 'string') out.push(content.answer);
  return out;
}

/** Registers the UI routes (and `/static/*`). */
export function registerUi(router: Router, deps: UiDeps): void {
  const { node, config } = deps;
  const role = config.role;
  const SESSION_COOKIE = sessionCookieName(role);
  const bodyLimit = Math.min(config.http.bodyLimitBytes, 256 * 1024);

  const cookie = (value: string, maxAgeS: number): string =>
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${String(maxAgeS)}${config.http.secureCookies ? '; Secure' : ''}`;

  const sessionOf = (ctx: RequestContext): Session | undefined => deps.sessions.get(parseCookies(ctx.req.headers.cookie)[SESSION_COOKIE]);

  const downtimeSafe = async (actor: Actor): Promise<DowntimeView | undefined> => {
    try {
      return await node.downtime(actor);
    } catch {
      return undefined;
    }
  };

  const send = async (ctx: UiCtx, title: string, current: string, body: Html, options: { print?: boolean; status?: number } = {}): Promise<void> => {
    const notice = ctx.url.searchParams.get('ok');
    const notices: Record<string, string> = {
      sendt: 'Meldingen er sendt.',
      utfort: 'Utført.',
      registrert: 'Registrert.',
      varslet: 'Varselet er sendt til meldingsansvarlig.',
    };
    sendText(
      ctx.res,
      options.status ?? 200,
      'text/html; charset=utf-8',
      page(
        {
          title,
          orgName: config.name,
          role,
          current,
          user: ctx.session.principal,
          csrf: ctx.session.csrf,
          downtime: await downtimeSafe(ctx.actor),
          ...(notice !== null && notices[notice] !== undefined ? { notice: notices[notice] } : {}),
          ...(options.print === true ? { print: true } : {}),
        },
        body,
      ),
    );
  };

  /** A UI GET page: session required (else to the login page). */
  const view = (handler: (ctx: UiCtx) => Promise<void>) => async (ctx: RequestContext) => {
    const session = sessionOf(ctx);
    if (session === undefined) {
      redirect(ctx.res, `/login?neste=${encodeURIComponent(ctx.url.pathname)}`);
      return;
    }
    await handler({ ...ctx, session, actor: actorOf(session.principal) });
  };

  /** A UI form POST: session, same origin, CSRF token and the permission. */
  const action = (permission: Permission, handler: (ctx: UiCtx, form: URLSearchParams) => Promise<void>) => async (ctx: RequestContext) => {
    const session = sessionOf(ctx);
    if (session === undefined) throw new HttpError(401, 'unauthorized', 'logg inn først');
    if (!sameOrigin(ctx.req)) throw new HttpError(403, 'forbidden', 'skjemaet kom fra et annet nettsted');
    const form = await readForm(ctx.req, bodyLimit);
    if (!safeEqual(form.get('_csrf') ?? '', session.csrf)) throw new HttpError(403, 'forbidden', 'ugyldig skjema-token (CSRF); last siden på nytt');
    if (!can(session.principal.role, permission)) throw new HttpError(403, 'forbidden', 'rollen din har ikke tilgang til dette');
    await handler({ ...ctx, session, actor: actorOf(session.principal) }, form);
  };

  const csrfField = (ctx: UiCtx): Html => html`<input type="hidden" name="_csrf" value="${ctx.session.csrf}">`;

  /**
   * The operator's form for an answer the rule could not read (alarm `unclassified-answer:<msgId>`):
   * kan ta imot / kan ikke ta imot (with the expected date) / tilbudet er klart. `back` is where
   * the form returns to (`oppgaver` or `opphold`); `n` makes the element ids unique on the page.
   */
  const classifyForm = (ctx: UiCtx, msgId: string, back: 'oppgaver' | 'opphold', n: number): Html => {
    const idp = `klass-${String(n)}`;
    return html`<form method="post" action="/ui/svar/${encodeURIComponent(msgId)}/klassifiser" class="stack classify" data-testid="classify-answer">${csrfField(ctx)}<input type="hidden" name="tilbake" value="${back}">
      <fieldset><legend>Hvordan skal kommunens svar forstås?</legend>
        <label><input type="radio" name="answer" value="can-receive" required> Kommunen kan ta imot pasienten</label>
        <label><input type="radio" name="answer" value="cannot-receive"> Kommunen kan ikke ta imot pasienten ennå</label>
        <label><input type="radio" name="answer" value="offer-ready"> Tilbudet er klart</label></fieldset>
      <label for="${idp}-date">Forventet dato (ved «kan ikke ta imot»)<input id="${idp}-date" name="date" type="date"></label>
      <button type="submit">Lagre tolkningen av svaret</button></form>`;
  };

  // --- static ---
  router.add('GET', '/static/app.css', (ctx) => sendText(ctx.res, 200, 'text/css; charset=utf-8', APP_CSS, { 'cache-control': 'public, max-age=3600' }));
  router.add('GET', '/static/app.js', (ctx) => sendText(ctx.res, 200, 'text/javascript; charset=utf-8', APP_JS, { 'cache-control': 'public, max-age=3600' }));

  // --- login ---
  const loginPage = (error?: string, next = '/'): string =>
    page(
      { title: 'Logg inn', orgName: config.name, role, current: '' },
      html`${error === undefined ? '' : html`<p class="error" role="alert">${error}</p>`}
      <form method="post" action="/login" class="stack">
        <input type="hidden" name="neste" value="${next}">
        <label for="token">Tilgangsnøkkel (operatør eller lesetilgang)<input id="token" name="token" type="password" autocomplete="current-password" required autofocus></label>
        <button type="submit">Logg inn</button>
      </form>`,
    );
  const safeNext = (n: string | null): string => (n !== null && /^\/[A-Za-z0-9/_%.-]*$/.test(n) && !n.startsWith('//') ? n : '/');
  router.add('GET', '/login', (ctx) => sendText(ctx.res, 200, 'text/html; charset=utf-8', loginPage(undefined, safeNext(ctx.url.searchParams.get('neste')))));
  router.add('POST', '/login', async (ctx) => {
    if (!sameOrigin(ctx.req)) throw new HttpError(403, 'forbidden', 'skjemaet kom fra et annet nettsted');
    const form = await readForm(ctx.req, 8192);
    const p = authenticateToken(deps.tokens(), form.get('token') ?? '');
    const next = safeNext(form.get('neste'));
    if (p === undefined || !can(p.role, 'ui')) {
      deps.logger.warn('ui login refused', { route: '/login' });
      sendText(ctx.res, 401, 'text/html; charset=utf-8', loginPage(p === undefined ? 'Ukjent tilgangsnøkkel.' : 'Denne nøkkelen gir ikke tilgang til brukergrensesnittet.', next));
      return;
    }
    const s = deps.sessions.open(p);
    deps.logger.info('ui login', { clientId: p.clientId });
    redirect(ctx.res, next, { 'set-cookie': cookie(s.id, config.auth.sessionTtlMinutes * 60) });
  });
  router.add(
    'POST',
    '/logout',
    action('ui', async (ctx) => {
      deps.sessions.close(ctx.session.id);
      redirect(ctx.res, '/login', { 'set-cookie': cookie('', 0) });
    }),
  );

  // --- overview ---
  router.add(
    'GET',
    '/',
    view(async (ctx) => {
      const [stays, tasks, quarantine, inbox] = await Promise.all([
        node.listStays(ctx.actor),
        node.listTasks({ open: true }, ctx.actor),
        node.listQuarantine(ctx.actor),
        node.listIncoming({ limit: 10 }, ctx.actor),
      ]);
      const alarms = tasks.filter((t) => t.kind === 'alarm');
      await send(
        ctx,
        'Oversikt',
        '/',
        html`<ul>
            <li><a href="/ui/oppgaver">${String(alarms.length)} åpne alarmer, ${String(tasks.length - alarms.length)} åpne oppgaver</a></li>
            <li><a href="/ui/karantene">${String(quarantine.filter((q) => q.state === 'open').length)} meldinger i karantene</a></li>
          </ul>
          <h2>Opphold</h2>
          ${stayTable(stays)}
          <h2>Siste innkomne meldinger</h2>
          ${incomingTable(inbox)}`,
      );
    }),
  );

  // --- inbox / outbox ---
  const incomingTable = (items: Awaited<ReturnType<MessagingNode['listIncoming']>>): Html =>
    items.length === 0
      ? html`<p class="muted">Ingen meldinger.</p>`
      : html`<table><caption class="muted">Innkomne meldinger med applikasjonskvitteringen vi svarte med</caption>
          <thead><tr><th scope="col">Mottatt</th><th scope="col">Melding</th><th scope="col">Fra (HER)</th><th scope="col">Status</th><th scope="col">Vår kvittering</th></tr></thead><tbody>
          ${items.map(
            (m) => html`<tr><td>${when(m.receivedAt)}</td><td><a href="/ui/meldinger/incoming/${encodeURIComponent(m.id)}">${typeName(m.type)}</a></td>
              <td>${m.senderHerId === undefined ? '' : String(m.senderHerId)}</td><td>${INCOMING_LABEL[m.state] ?? m.state}</td>
              <td>${m.appRec === undefined ? html`<span class="muted">–</span>` : html`<span class="${m.appRec.status === '2' ? 'bad' : 'ok'}">AppRec: ${APPREC_STATUS_LABEL[m.appRec.status] ?? m.appRec.status}</span>${m.appRec.errors.length > 0 ? ` (${m.appRec.errors.join(', ')})` : ''}`}</td></tr>`,
          )}</tbody></table>`;

  const outgoingTable = (items: Awaited<ReturnType<MessagingNode['listOutgoing']>>): Html =>
    items.length === 0
      ? html`<p class="muted">Ingen meldinger.</p>`
      : html`<table><caption class="muted">Sendte meldinger med transport- og kvitteringsstatus</caption>
          <thead><tr><th scope="col">Opprettet</th><th scope="col">Melding</th><th scope="col">Til (HER)</th><th scope="col">Transport</th><th scope="col">Applikasjonskvittering</th></tr></thead><tbody>
          ${items.map(
            (m) => html`<tr><td>${when(m.createdAt)}</td><td><a href="/ui/meldinger/outgoing/${encodeURIComponent(m.msgId)}">${typeName(m.type)}</a></td>
              <td>${String(m.receiverHerId)}</td><td>${TRANSPORT_LABEL[m.transport.state]}${m.transport.attempts > 1 ? ` (${String(m.transport.attempts)} forsøk)` : ''}</td>
              <td><span class="${m.receipt.state === 'ok' ? 'ok' : m.receipt.state === 'awaiting' || m.receipt.state === 'not-expected' ? '' : 'bad'}">${RECEIPT_LABEL[m.receipt.state]}</span>${m.receipt.deadline !== undefined && m.receipt.state === 'awaiting' ? html` <span class="muted">frist ${when(m.receipt.deadline)}</span>` : ''}${(m.receipt.errors ?? []).length > 0 ? ` (${(m.receipt.errors ?? []).map((e) => e.code).join(', ')})` : ''}</td></tr>`,
          )}</tbody></table>`;

  router.add('GET', '/ui/innboks', view(async (ctx) => send(ctx, 'Innboks', '/ui/innboks', incomingTable(await node.listIncoming({ limit: 200 }, ctx.actor)))));
  router.add('GET', '/ui/utboks', view(async (ctx) => send(ctx, 'Utboks', '/ui/utboks', outgoingTable(await node.listOutgoing({ limit: 200 }, ctx.actor)))));

  // --- one message: readable beside raw XML; print view ---
  const direction = (v: string | undefined): 'outgoing' | 'incoming' => {
    if (v === 'outgoing' || v === 'incoming') return v;
    throw new HttpError(404, 'not_found', 'ukjent retning');
  };
  const summaryOf = (d: MessageDetail): Html => {
    if (d.direction === 'outgoing') {
      const s = d.summary as Awaited<ReturnType<MessagingNode['listOutgoing']>>[number];
      return html`<dl class="readable"><dt>Meldingstype</dt><dd>${typeName(s.type)} <span class="code">(${s.type})</span></dd><dt>Meldings-ID</dt><dd>${s.msgId}</dd>
        <dt>Fra / til (HER)</dt><dd>${String(s.senderHerId)} → ${String(s.receiverHerId)}</dd><dt>Opprettet</dt><dd>${when(s.createdAt)}</dd>
        <dt>Transport</dt><dd>${TRANSPORT_LABEL[s.transport.state]}${s.transport.lastError === undefined ? '' : ` – ${s.transport.lastError}`}</dd>
        <dt>Applikasjonskvittering</dt><dd>${RECEIPT_LABEL[s.receipt.state]}${s.receipt.status === undefined ? '' : ` (status ${APPREC_STATUS_LABEL[s.receipt.status] ?? s.receipt.status})`}${(s.receipt.errors ?? []).map((e) => html` <span class="bad">${e.code}${e.text === undefined ? '' : `: ${e.text}`}</span>`)}</dd></dl>`;
    }
    const s = d.summary as Awaited<ReturnType<MessagingNode['listIncoming']>>[number];
    return html`<dl class="readable"><dt>Meldingstype</dt><dd>${typeName(s.type)}${s.type === undefined ? '' : html` <span class="code">(${s.type})</span>`}</dd><dt>Meldings-ID</dt><dd>${s.msgId ?? ''}</dd>
      <dt>Fra / til (HER)</dt><dd>${s.senderHerId === undefined ? '?' : String(s.senderHerId)} → ${s.receiverHerId === undefined ? '?' : String(s.receiverHerId)}</dd><dt>Mottatt</dt><dd>${when(s.receivedAt)}</dd>
      <dt>Status</dt><dd>${INCOMING_LABEL[s.state] ?? s.state}</dd>
      <dt>Vår applikasjonskvittering</dt><dd>${s.appRec === undefined ? '–' : html`<span class="${s.appRec.status === '2' ? 'bad' : 'ok'}">AppRec: ${APPREC_STATUS_LABEL[s.appRec.status] ?? s.appRec.status}</span> ${s.appRec.errors.join(', ')}`}</dd></dl>`;
  };

  router.add(
    'GET',
    '/ui/meldinger/{direction}/{id}',
    view(async (ctx) => {
      const d = direction(ctx.params['direction']);
      const id = ctx.params['id'] ?? '';
      if (d === 'incoming' && !isEngineSerial(id)) throw new HttpError(404, 'not_found', 'meldingen finnes ikke');
      const detail = await node.getMessage(d, id, ctx.actor);
      if (detail === undefined) throw new HttpError(404, 'not_found', 'meldingen finnes ikke');
      const type = detail.summary.type;
      const patient = patientOf(detail);
      const answerForm =
        role === 'kommune' && d === 'incoming' && type === 'LOG_UTSKRIVNINGSKLAR' && can(ctx.session.principal.role, 'submit')
          ? html`<h2 id="svar">Svar på utskrivningsklar pasient</h2>
            <form method="post" action="/ui/send/svar" class="stack">${csrfField(ctx)}
              <input type="hidden" name="inReplyTo" value="${detail.summary.msgId ?? ''}"><input type="hidden" name="direction" value="incoming"><input type="hidden" name="id" value="${id}">
              <fieldset><legend>Kan kommunen ta imot pasienten?</legend>
                <label><input type="radio" name="answer" value="can-receive" required> Ja, kommunen kan ta imot pasienten</label>
                <label><input type="radio" name="answer" value="cannot-receive"> Nei, ikke ennå</label>
                <label><input type="radio" name="answer" value="offer-ready"> Tilbudet er nå klart</label></fieldset>
              <label for="date">Forventet klar dato (ved «ikke ennå»)<input id="date" name="date" type="date"></label>
              <label for="text">Melding til sykehuset<textarea id="text" name="text" rows="3" maxlength="1000"></textarea></label>
              <button type="submit">Send svar</button></form>`
          : html``;
      const resend =
        d === 'outgoing' && can(ctx.session.principal.role, 'operate') && ['dead-letter', 'held', 'failed'].includes((detail.summary as { transport?: { state?: string } }).transport?.state ?? '')
          ? html`<form method="post" action="/ui/meldinger/outgoing/${encodeURIComponent(id)}/send-igjen" class="inline">${csrfField(ctx)}<button type="submit">Send på nytt</button></form>`
          : html``;
      await send(
        ctx,
        `${typeName(type)}${patient === undefined ? '' : ` – ${personName(patient)}`}`,
        d === 'outgoing' ? '/ui/utboks' : '/ui/innboks',
        html`<p class="no-print"><a href="/ui/meldinger/${d}/${encodeURIComponent(id)}/utskrift">Utskrift for manuell håndtering</a> ${resend}</p>
          ${summaryOf(detail)}${answerForm}
          <div class="columns"><section aria-labelledby="lesbar"><h2 id="lesbar">Lesbar visning</h2>${detail.parsed === undefined ? html`<p class="muted">Meldingen kunne ikke leses.</p>` : readable(detail.parsed)}</section>
          <section aria-labelledby="xml"><h2 id="xml">XML (MsgHead)</h2><pre class="xml" tabindex="0" aria-label="Meldingens XML">${detail.xml ?? ''}</pre></section></div>`,
      );
    }),
  );

  router.add(
    'GET',
    '/ui/meldinger/{direction}/{id}/utskrift',
    view(async (ctx) => {
      const d = direction(ctx.params['direction']);
      const id = ctx.params['id'] ?? '';
      if (d === 'incoming' && !isEngineSerial(id)) throw new HttpError(404, 'not_found', 'meldingen finnes ikke');
      const detail = await node.getMessage(d, id, ctx.actor);
      if (detail === undefined) throw new HttpError(404, 'not_found', 'meldingen finnes ikke');
      const partner = d === 'outgoing' ? (detail.summary as { receiverHerId?: number }).receiverHerId : (detail.summary as { senderHerId?: number }).senderHerId;
      await send(
        ctx,
        `Manuell håndtering: ${typeName(detail.summary.type)}`,
        '',
        html`<p class="no-print"><a href="/ui/meldinger/${d}/${encodeURIComponent(id)}/utskrift.pdf" data-testid="pdf-link">Last ned PDF for manuell håndtering</a> <button type="button" data-action="print">Skriv ut denne siden</button> <a href="/ui/meldinger/${d}/${encodeURIComponent(id)}">Tilbake</a></p>
          <p>Utskrift fra ${config.name} ${when(deps.clock().toISOString())}. Dokumenter overleveringen i nedetidsloggen på begge sider.</p>
          ${summaryOf(detail)}<h2>Innhold</h2>${detail.parsed === undefined ? html`<pre class="xml">${detail.xml ?? ''}</pre>` : readable(detail.parsed)}
          ${can(ctx.session.principal.role, 'operate') && partner !== undefined
            ? html`<h2 class="no-print">Registrer manuell overlevering</h2>
              <form method="post" action="/ui/nedetid/manuell" class="stack">${csrfField(ctx)}<input type="hidden" name="partnerHerId" value="${String(partner)}"><input type="hidden" name="msgId" value="${detail.summary.msgId ?? ''}"><input type="hidden" name="direction" value="${d === 'outgoing' ? 'sent' : 'received'}">
                <label for="channel">Kanal<select id="channel" name="channel"><option>telefon</option><option>post</option><option>faks</option><option>bud</option><option>annet</option></select></label>
                <label for="note">Notat<textarea id="note" name="note" rows="2" required maxlength="2000"></textarea></label><button type="submit">Registrer</button></form>`
            : ''}`,
        { print: true },
      );
    }),
  );
  router.add(
    'GET',
    '/ui/meldinger/{direction}/{id}/utskrift.pdf',
    view(async (ctx) => {
      const d = direction(ctx.params['direction']);
      const id = ctx.params['id'] ?? '';
      if (d === 'incoming' && !isEngineSerial(id)) throw new HttpError(404, 'not_found', 'meldingen finnes ikke');
      const detail = await node.getMessage(d, id, ctx.actor);
      if (detail === undefined) throw new HttpError(404, 'not_found', 'meldingen finnes ikke');
      sendBinary(ctx.res, 200, 'application/pdf', await messagePdf(detail, config.name, deps.clock()), `melding-${id}.pdf`);
    }),
  );
  router.add(
    'GET',
    '/ui/nedetid/utskrift.pdf',
    view(async (ctx) => {
      const [d, messages] = await Promise.all([node.downtime(ctx.actor), manualHandlingMessages(node, ctx.actor)]);
      sendBinary(ctx.res, 200, 'application/pdf', await downtimePdf(d, messages, config.name, deps.clock(), partnersOfRegister()), 'nedetid-manuell-handtering.pdf');
    }),
  );
  router.add(
    'POST',
    '/ui/meldinger/outgoing/{id}/send-igjen',
    action('operate', async (ctx) => {
      await node.resend(ctx.params['id'] ?? '', ctx.actor);
      redirect(ctx.res, `/ui/meldinger/outgoing/${encodeURIComponent(ctx.params['id'] ?? '')}?ok=utfort`);
    }),
  );

  // --- stays ---
  const stayTable = (stays: Awaited<ReturnType<MessagingNode['listStays']>>): Html =>
    stays.length === 0
      ? html`<p class="muted">Ingen opphold.</p>`
      : html`<table><thead><tr><th scope="col">Opphold</th><th scope="col">Tilstand</th><th scope="col">Betalingsdøgn</th><th scope="col">Meldinger</th></tr></thead><tbody>
          ${stays.map((s) => {
            const p = (s.procedure ?? {}) as { state?: string; paymentDays?: readonly string[] };
            const first = [...s.messages].sort((a, b) => a.at.localeCompare(b.at))[0];
            return html`<tr><td><a href="/ui/opphold/${encodeURIComponent(s.key)}">Opphold fra ${first === undefined ? '' : when(first.at)}</a>${first === undefined ? '' : html` <span class="muted">(${typeName(first.type)})</span>`}</td><td>${PHASE_LABEL[p.state ?? ''] ?? p.state ?? ''}</td><td>${String(p.paymentDays?.length ?? 0)}</td><td>${String(s.messages.length)}</td></tr>`;
          })}</tbody></table>`;
  router.add('GET', '/ui/opphold', view(async (ctx) => send(ctx, 'Opphold', '/ui/opphold', stayTable(await node.listStays(ctx.actor)))));
  router.add(
    'GET',
    '/ui/opphold/{key}',
    view(async (ctx) => {
      const key = ctx.params['key'] ?? '';
      const stay = await node.getStay(key, ctx.actor);
      if (stay === undefined) throw new HttpError(404, 'not_found', 'oppholdet finnes ikke');
      const tasks = (await node.listTasks({}, ctx.actor)).filter((t) => t.stayKey === key);
      // Incoming messages are addressed by the engine's id, not the MsgId the stay lists.
      const incomingIds = new Map((await node.listIncoming({ stayKey: key, limit: 500 }, ctx.actor)).flatMap((m) => (m.msgId === undefined ? [] : [[m.msgId, m.id] as const])));
      const hrefOf = (m: { direction: 'outgoing' | 'incoming'; msgId: string }): string | undefined => {
        const id = m.direction === 'outgoing' ? m.msgId : incomingIds.get(m.msgId);
        return id === undefined ? undefined : `/ui/meldinger/${m.direction}/${encodeURIComponent(id)}`;
      };
      // The municipality's answers: the text of each dialogue message on topic 7322 = 7.
      const answers: { at: string; text: string; msgId: string; href?: string }[] = [];
      for (const m of stay.messages) {
        if (m.type !== 'DIALOG_FORESPORSEL' && m.type !== 'DIALOG_SVAR') continue;
        const id = m.direction === 'outgoing' ? m.msgId : incomingIds.get(m.msgId);
        const detail = id === undefined ? undefined : await node.getMessage(m.direction, id, ctx.actor);
        for (const text of answerTexts(detail?.parsed)) answers.push({ at: m.at, text, msgId: m.msgId, ...(hrefOf(m) === undefined ? {} : { href: hrefOf(m) }) });
      }
      answers.sort((a, b) => a.at.localeCompare(b.at));
      const p = (stay.procedure ?? {}) as {
        state?: string;
        deadlines?: readonly { rule?: string; period?: number | null; party?: string; due?: string | null; metAt?: string | null; status?: string }[];
        periods?: readonly {
          index?: number;
          declaredDay?: string;
          payable?: boolean;
          paymentDays?: readonly string[];
          amountNOK?: number | null;
          endReason?: string | null;
        }[];
        paymentDays?: readonly string[];
        amountNOK?: number | null;
        answers?: readonly { msgId?: string; answer?: string; date?: string; classifiedBy?: string; by?: string; at?: string }[];
      };
      const days = p.paymentDays ?? [];
      const op = can(ctx.session.principal.role, 'operate');
      const readAs = (msgId: string): Html => {
        const a = (p.answers ?? []).find((x) => x.msgId === msgId);
        if (a === undefined) {
          return tasks.some((t) => unclassifiedAnswerOf(t) === msgId) ? html` <strong class="bad" data-testid="answer-unclassified">Ikke tolket: regelen kunne ikke lese svaret.</strong>` : html``;
        }
        const label = `${ANSWER_LABEL[a.answer ?? ''] ?? a.answer ?? ''}${a.date === undefined ? '' : ` (forventet ${a.date})`}`;
        return a.classifiedBy === 'manual'
          ? html` <span data-testid="answer-classification">Tolket manuelt som «${label}»${a.by === undefined ? '' : ` av ${a.by}`}${a.at === undefined ? '' : html` ${when(a.at)}`}.</span>`
          : html` <span data-testid="answer-classification">Tolket automatisk som «${label}».</span>`;
      };
      await send(
        ctx,
        `Opphold: ${PHASE_LABEL[p.state ?? ''] ?? p.state ?? ''}`,
        '/ui/opphold',
        html`<h2>Tidslinje</h2><ol class="timeline">${[...stay.messages]
          .sort((a, b) => a.at.localeCompare(b.at))
          .map((m) => {
            const href = hrefOf(m);
            return html`<li><time datetime="${m.at}">${when(m.at)}</time> – ${href === undefined ? typeName(m.type) : html`<a href="${href}">${typeName(m.type)}</a>`} <span class="muted">(${m.direction === 'outgoing' ? 'sendt' : 'mottatt'})</span></li>`;
          })}</ol>
          <h2>Frister</h2>${(p.deadlines ?? []).length === 0
            ? html`<p class="muted">Ingen frister.</p>`
            : html`<table><thead><tr><th scope="col">Frist</th><th scope="col">Part</th><th scope="col">Forfaller</th><th scope="col">Status</th></tr></thead><tbody>${(p.deadlines ?? []).map(
                (dl) => html`<tr><td>${DEADLINE_RULE_LABEL[dl.rule ?? ''] ?? dl.rule ?? ''}${dl.period === null || dl.period === undefined ? '' : ` (periode ${String(dl.period)})`}</td><td>${dl.party === 'hospital' ? 'sykehuset' : dl.party === 'municipality' ? 'kommunen' : (dl.party ?? '')}</td>
                  <td>${when(dl.due ?? undefined)}</td><td class="${dl.status === 'breached' ? 'bad' : dl.status === 'met' ? 'ok' : ''}">${DEADLINE_STATUS_LABEL[dl.status ?? ''] ?? dl.status ?? ''}${dl.metAt === null || dl.metAt === undefined ? '' : ` ${when(dl.metAt)}`}</td></tr>`,
              )}</tbody></table>`}
          <h2 id="utskrivningsklar">Utskrivningsklar og kommunens svar</h2>${(p.periods ?? []).length === 0
            ? html`<p class="muted">Pasienten er ikke meldt utskrivningsklar.</p>`
            : html`<ol class="periods">${(p.periods ?? []).map(
                (per) => html`<li><strong>Utskrivningsklar fra ${per.declaredDay ?? ''}</strong>${per.endReason === null || per.endReason === undefined ? '' : html` – ${END_REASON_LABEL[per.endReason] ?? per.endReason}`}.
                  ${String(per.paymentDays?.length ?? 0)} betalingsdøgn i perioden${per.payable === false ? ' (ikke betalingspliktig)' : ''}.</li>`,
              )}</ol>`}
          <h3>Kommunens svar</h3>${answers.length === 0
            ? html`<p class="muted">Kommunen har ikke svart ennå.</p>`
            : html`<ul class="answers">${answers.map((a) => html`<li><time datetime="${a.at}">${when(a.at)}</time>: «${a.text}»${a.href === undefined ? '' : html` <a href="${a.href}">Vis melding</a>`}${readAs(a.msgId)}</li>`)}</ul>`}
          <h2 id="betalingsdogn">Betalingsdøgn</h2>
          <p><strong data-testid="payment-days">${String(days.length)}</strong> betalingsdøgn${p.amountNOK === null || p.amountNOK === undefined ? '' : `, NOK ${p.amountNOK.toLocaleString('nb-NO')}`}.</p>
          ${days.length === 0 ? '' : html`<ul class="days" aria-label="Betalingsdøgn">${days.map((d) => html`<li>${d}</li>`)}</ul>`}
          <h2>Alarmer og oppgaver</h2>${tasks.length === 0
            ? html`<p class="muted">Ingen.</p>`
            : html`<ul>${tasks.map((t, i) => {
                const unread = op ? unclassifiedAnswerOf(t) : undefined;
                return html`<li>${t.kind === 'alarm' ? html`<strong class="bad">Alarm:</strong> ` : ''}${taskTitle(t.title)}${t.detail === undefined ? '' : ` (${taskDetail(t.detail)})`}${t.due === undefined ? '' : ` – frist ${when(t.due)}`}${t.done ? ' (utført)' : ''}${unread === undefined ? '' : classifyForm(ctx, unread, 'opphold', i)}</li>`;
              })}</ul>`}`,
      );
    }),
  );

  // --- tasks ---
  router.add(
    'GET',
    '/ui/oppgaver',
    view(async (ctx) => {
      const tasks = await node.listTasks({}, ctx.actor);
      const op = can(ctx.session.principal.role, 'operate');
      await send(
        ctx,
        'Oppgaver og alarmer',
        '/ui/oppgaver',
        tasks.length === 0
          ? html`<p class="muted">Ingen oppgaver.</p>`
          : html`<table><thead><tr><th scope="col">Type</th><th scope="col">Hva</th><th scope="col">Opprettet</th><th scope="col">Frist</th><th scope="col">Status</th></tr></thead><tbody>${tasks.map(
              (t, i) => html`<tr><td>${t.kind === 'alarm' ? html`<strong class="bad">Alarm</strong>` : t.kind === 'task' ? 'Oppgave' : 'Varsel'}</td><td>${taskTitle(t.title)}${t.detail === undefined ? '' : html`<br><span class="muted">${taskDetail(t.detail)}</span>`}${op && unclassifiedAnswerOf(t) !== undefined
                ? html`${t.stayKey === undefined ? '' : html`<br><a href="/ui/opphold/${encodeURIComponent(t.stayKey)}#utskrivningsklar">Les svaret i oppholdet</a>`}${classifyForm(ctx, unclassifiedAnswerOf(t) ?? '', 'oppgaver', i)}`
                : ''}</td>
                <td>${when(t.createdAt)}</td><td>${when(t.due)}</td><td>${t.done ? 'Utført' : op ? html`<form method="post" action="/ui/oppgaver/${encodeURIComponent(t.id)}/utfort" class="inline">${csrfField(ctx)}<button type="submit">Marker utført</button></form>` : 'Åpen'}</td></tr>`,
            )}</tbody></table>`,
      );
    }),
  );
  router.add(
    'POST',
    '/ui/oppgaver/{id}/utfort',
    action('operate', async (ctx) => {
      await node.completeTask(ctx.params['id'] ?? '', ctx.actor);
      redirect(ctx.res, '/ui/oppgaver?ok=utfort');
    }),
  );
  router.add(
    'POST',
    '/ui/svar/{msgId}/klassifiser',
    action('operate', async (ctx, form) => {
      const msgId = ctx.params['msgId'] ?? '';
      if (msgId === '' || msgId.length > 200) throw new HttpError(404, 'not_found', 'fant ikke svaret');
      const answer = form.get('answer') ?? '';
      const date = (form.get('date') ?? '').trim();
      if (answer !== 'can-receive' && answer !== 'cannot-receive' && answer !== 'offer-ready') throw new HttpError(400, 'invalid_request', 'velg hvordan svaret skal forstås');
      // The date belongs to «kan ikke ta imot» only; a date left in the field with another choice is ignored.
      const input: AnswerClassificationInput = answer === 'cannot-receive' && date !== '' ? { answer, date } : { answer };
      let stayKey: string;
      try {
        stayKey = (await classifyAnswerOrFail(node, msgId, input, ctx.actor)).key;
      } catch (err) {
        if (err instanceof HttpError) throw new HttpError(err.status, err.error, `ugyldig tolkning: ${answer === 'cannot-receive' ? 'forventet dato må være en gyldig dato' : 'velg et av svarene'}`);
        const code = (err as { code?: unknown }).code;
        if (code === 'ERR_MSG_NOT_FOUND') throw new HttpError(404, 'not_found', 'fant ikke svaret i noe opphold');
        if (code === 'ERR_MSG_INVALID_STATE') throw new HttpError(409, 'conflict', 'meldingen er ikke et svar som venter på tolkning (regelen har lest det, eller det er ikke et svar)');
        throw err;
      }
      deps.logger.info('answer classified from the ui', { msgId, answer, clientId: ctx.actor.id });
      redirect(ctx.res, form.get('tilbake') === 'opphold' ? `/ui/opphold/${encodeURIComponent(stayKey)}?ok=utfort#utskrivningsklar` : '/ui/oppgaver?ok=utfort');
    }),
  );

  // --- quarantine ---
  router.add(
    'GET',
    '/ui/karantene',
    view(async (ctx) => {
      const items = await node.listQuarantine(ctx.actor);
      const op = can(ctx.session.principal.role, 'operate');
      await send(
        ctx,
        'Karantene',
        '/ui/karantene',
        items.length === 0
          ? html`<p class="muted">Ingen meldinger i karantene.</p>`
          : html`${items.map(
              (q) => html`<section aria-labelledby="q-${q.id}"><h2 id="q-${q.id}">${q.reason} <span class="code">(${q.code})</span></h2>
              <p>Mottatt ${when(q.createdAt)} – status: ${q.state === 'open' ? 'åpen' : q.state === 'forwarded' ? 'videresendt' : q.state === 'feedback-sent' ? 'tilbakemelding sendt' : 'håndtert'}.
              <a href="/ui/meldinger/incoming/${encodeURIComponent(q.incomingId)}">Se meldingen</a></p>
              ${q.actions.length === 0 ? '' : html`<ul>${q.actions.map((a) => html`<li>${when(a.at)}: ${a.action} av ${a.actor}${a.detail === undefined ? '' : ` – ${a.detail}`}</li>`)}</ul>`}
              ${op && q.state === 'open'
                ? html`<form method="post" action="/ui/karantene/${encodeURIComponent(q.id)}/videresend" class="stack">${csrfField(ctx)}<label for="to-${q.id}">Videresend til HER-id i egen organisasjon (levert til egen innboks; utenfor: send tilbakemelding om feil)<input id="to-${q.id}" name="toHerId" inputmode="numeric" pattern="[0-9]+" required></label><button type="submit">Videresend</button></form>
                  <form method="post" action="/ui/karantene/${encodeURIComponent(q.id)}/tilbakemelding" class="stack">${csrfField(ctx)}<label for="r-${q.id}">Årsak<select id="r-${q.id}" name="reason"><option value="1">Feil adressat</option><option value="2">Mangelfulle opplysninger</option><option value="9">Annet</option></select></label>
                    <label for="t-${q.id}">Beskrivelse<textarea id="t-${q.id}" name="text" rows="2" required maxlength="2000"></textarea></label><button type="submit">Send tilbakemelding om feil</button></form>
                  <form method="post" action="/ui/karantene/${encodeURIComponent(q.id)}/handtert" class="stack">${csrfField(ctx)}<label for="n-${q.id}">Notat<input id="n-${q.id}" name="note" required maxlength="2000"></label><button type="submit">Marker håndtert</button></form>`
                : ''}</section>`,
            )}`,
      );
    }),
  );
  router.add(
    'POST',
    '/ui/karantene/{id}/videresend',
    action('operate', async (ctx, form) => {
      if (!isEngineSerial(ctx.params['id'])) throw new HttpError(404, 'not_found', 'finnes ikke i karantene');
      const to = form.get('toHerId') ?? '';
      if (!/^[1-9][0-9]{0,9}$/.test(to)) throw new HttpError(400, 'invalid_request', 'HER-id må være et tall');
      await node.forwardQuarantined(ctx.params['id'] ?? '', Number(to), ctx.actor);
      redirect(ctx.res, '/ui/karantene?ok=utfort');
    }),
  );
  router.add(
    'POST',
    '/ui/karantene/{id}/tilbakemelding',
    action('operate', async (ctx, form) => {
      if (!isEngineSerial(ctx.params['id'])) throw new HttpError(404, 'not_found', 'finnes ikke i karantene');
      const reason = form.get('reason');
      const text = (form.get('text') ?? '').trim();
      if ((reason !== '1' && reason !== '2' && reason !== '9') || text === '') throw new HttpError(400, 'invalid_request', 'velg årsak og skriv en beskrivelse');
      await node.sendErrorFeedback(ctx.params['id'] ?? '', reason, text, ctx.actor);
      redirect(ctx.res, '/ui/karantene?ok=sendt');
    }),
  );
  router.add(
    'POST',
    '/ui/karantene/{id}/handtert',
    action('operate', async (ctx, form) => {
      if (!isEngineSerial(ctx.params['id'])) throw new HttpError(404, 'not_found', 'finnes ikke i karantene');
      const note = (form.get('note') ?? '').trim();
      if (note === '') throw new HttpError(400, 'invalid_request', 'skriv et notat');
      await node.markQuarantineHandled(ctx.params['id'] ?? '', note, ctx.actor);
      redirect(ctx.res, '/ui/karantene?ok=utfort');
    }),
  );

  // --- downtime ---
  const ours = new Set(config.herIds.all);
  const partnersOfRegister = () => registerPartners(config.addressRegisterFile, ours);
  router.add(
    'GET',
    '/ui/nedetid',
    view(async (ctx) => {
      const d = await node.downtime(ctx.actor);
      const op = can(ctx.session.principal.role, 'operate');
      const tracked = new Map(d.partners.map((p) => [p.herId, p]));
      const register = partnersOfRegister();
      // Every partner in the address register (endpoints with their services), then any the engine tracks that the register no longer has.
      const rows: { herId: number; name: string; endpoint: boolean; endpointName?: string }[] = register === undefined ? [] : register.map((r) => ({ herId: r.herId, name: r.name, endpoint: r.endpoint, ...(r.endpoint ? {} : { endpointName: register.find((e) => e.herId === r.endpointHerId)?.name ?? String(r.endpointHerId) }) }));
      for (const p of d.partners) if (!rows.some((r) => r.herId === p.herId)) rows.push({ herId: p.herId, name: p.name, endpoint: true });
      const modeForms = (herId: number): Html =>
        html`<form method="post" action="/ui/nedetid/${String(herId)}/manuell-modus" class="inline">${csrfField(ctx)}<input type="hidden" name="on" value="true"><button type="submit" class="secondary" aria-label="Slå på manuell modus for HER ${String(herId)}">Slå på</button></form>
          <form method="post" action="/ui/nedetid/${String(herId)}/manuell-modus" class="inline">${csrfField(ctx)}<input type="hidden" name="on" value="false"><button type="submit" class="secondary" aria-label="Slå av manuell modus for HER ${String(herId)}">Slå av</button></form>`;
      await send(
        ctx,
        'Nedetid og manuell håndtering',
        '/ui/nedetid',
        html`<p class="no-print"><a href="/ui/nedetid/utskrift.pdf" data-testid="downtime-pdf">Last ned liste for manuell håndtering (PDF)</a>: partnere, meldinger som holdes tilbake eller ikke kan leveres (med innhold), og loggen.</p>
        <p class="muted">Manuell modus holder tilbake utgående meldinger per transportendepunkt (organisasjonen, eller en tjeneste med egen transport i adresseregisteret). Tjenester uten egen transport følger organisasjonen sin.</p>
        <table data-testid="downtime-partners"><thead><tr><th scope="col">Partner</th><th scope="col">Status</th><th scope="col">Holdt tilbake</th><th scope="col">Manuell modus</th></tr></thead><tbody>${rows.map((r) => {
          const p = tracked.get(r.herId);
          return html`<tr${r.endpoint ? '' : raw(' class="service"')}><td>${r.endpoint ? '' : raw('&#8627; ')}${r.name} (HER ${String(r.herId)})</td>
            <td class="${p === undefined || p.state === 'up' ? 'ok' : 'bad'}">${p === undefined ? (r.endpoint ? 'I drift' : html`<span class="muted">via ${r.endpointName ?? ''}</span>`) : p.state === 'up' ? 'I drift' : p.state === 'down' ? 'Nede' : 'Mulig nedetid'}${p?.since === undefined ? '' : ` siden ${when(p.since)}`}</td>
            <td>${p === undefined ? (r.endpoint ? '0' : '') : String(p.heldMessages)}</td>
            <td>${p?.manualMode === true ? html`<strong class="bad" data-testid="manual-mode-on">På</strong> ` : r.endpoint ? html`<span data-testid="manual-mode-off">Av</span> ` : ''}${!op ? '' : r.endpoint ? modeForms(r.herId) : html`<span class="muted">følger ${r.endpointName ?? ''}</span>`}</td></tr>`;
        })}</tbody></table>
        <h2>Logg over manuell utveksling</h2>${d.manualLog.length === 0
          ? html`<p class="muted">Ingen manuelle overleveringer.</p>`
          : html`<table><thead><tr><th scope="col">Tid</th><th scope="col">Partner (HER)</th><th scope="col">Retning</th><th scope="col">Kanal</th><th scope="col">Notat</th><th scope="col">Av</th></tr></thead><tbody>${d.manualLog.map(
              (e) =>
                html`<tr><td>${when(e.at)}</td><td>${String(e.partnerHerId)}</td><td>${e.direction === 'received' ? 'Mottatt' : 'Sendt'}</td><td>${e.channel}</td><td>${e.note}${e.msgId === undefined ? '' : e.direction === 'received' ? ` (ref. ${e.msgId})` : html` <a href="/ui/meldinger/outgoing/${encodeURIComponent(e.msgId)}/utskrift">melding</a>`}</td><td>${e.actor}</td></tr>`,
            )}</tbody></table>`}
        ${op
          ? html`<h2>Registrer manuell overlevering</h2><form method="post" action="/ui/nedetid/manuell" class="stack">${csrfField(ctx)}
            <label for="partner">Partner<select id="partner" name="partnerHerId">${(rows.length > 0 ? rows : config.partners.map((p) => ({ herId: p.herId, name: p.name }))).map((p) => html`<option value="${String(p.herId)}">${p.name} (${String(p.herId)})</option>`)}</select></label>
            <label for="direction">Retning<select id="direction" name="direction"><option value="sent">Sendt fra oss til partneren</option><option value="received">Mottatt fra partneren</option></select></label>
            <label for="channel">Kanal<select id="channel" name="channel"><option>telefon</option><option>post</option><option>faks</option><option>bud</option><option>annet</option></select></label>
            <label for="note">Notat<textarea id="note" name="note" rows="2" required maxlength="2000"></textarea></label><button type="submit">Registrer</button></form>
            <h2>Varsle om driftsavbrudd</h2><p class="muted">E-post til meldingsansvarlig hos oss og hos hver valgt partner, med forventet varighet (planlagt, eller anslag for et pågående avbrudd). Varselet logges.</p>
            <form method="post" action="/ui/nedetid/varsel" class="stack" data-testid="downtime-notice-form">${csrfField(ctx)}
            <fieldset><legend>Partnere</legend>${rows.filter((r) => r.endpoint).map((r) => html`<label><input type="checkbox" name="partner" value="${String(r.herId)}" checked> ${r.name} (${String(r.herId)})</label>`)}</fieldset>
            <label for="planned">Type<select id="planned" name="planned"><option value="true">Planlagt</option><option value="false">Ikke planlagt (anslag)</option></select></label>
            <label for="from">Fra (norsk tid; tom: nå)<input id="from" name="from" type="datetime-local"></label>
            <label for="until">Forventet gjenopprettet (tom: ikke kjent ennå)<input id="until" name="until" type="datetime-local"></label>
            <label for="reason">Årsak<textarea id="reason" name="reason" rows="2" required maxlength="2000"></textarea></label><button type="submit">Send varsel</button></form>`
          : ''}`,
      );
    }),
  );
  router.add(
    'POST',
    '/ui/nedetid/varsel',
    action('operate', async (ctx, form) => {
      const partners = form.getAll('partner');
      const reason = (form.get('reason') ?? '').trim();
      if (partners.length === 0 || !partners.every((p) => /^[1-9][0-9]{0,9}$/.test(p)) || reason === '') throw new HttpError(400, 'invalid_request', 'velg minst én partner og skriv årsaken');
      const until = form.get('until') ?? '';
      try {
        await node.announceDowntime(
          { partners: partners.map(Number), planned: form.get('planned') !== 'false', from: localInstant(form.get('from')), ...(until === '' ? {} : { expectedUntil: localInstant(until) }), reason },
          ctx.actor,
        );
      } catch (err) {
        if (err instanceof TypeError) throw new HttpError(400, 'invalid_request', /expectedUntil/.test(err.message) ? 'forventet slutt må være etter start' : err.message);
        throw err;
      }
      redirect(ctx.res, '/ui/nedetid?ok=varslet');
    }),
  );
  router.add(
    'POST',
    '/ui/nedetid/{herId}/manuell-modus',
    action('operate', async (ctx, form) => {
      const her = ctx.params['herId'] ?? '';
      if (!/^[1-9][0-9]{0,9}$/.test(her)) throw new HttpError(400, 'invalid_request', 'ugyldig HER-id');
      const notEndpoint = partnersOfRegister()?.find((r) => r.herId === Number(her) && !r.endpoint);
      if (notEndpoint !== undefined) throw new HttpError(409, 'conflict', `HER ${her} har ikke egen transport: slå manuell modus på for HER ${String(notEndpoint.endpointHerId)}`);
      await node.setManualMode(Number(her), form.get('on') === 'true', ctx.actor);
      redirect(ctx.res, '/ui/nedetid?ok=utfort');
    }),
  );
  router.add(
    'POST',
    '/ui/nedetid/manuell',
    action('operate', async (ctx, form) => {
      const her = form.get('partnerHerId') ?? '';
      const note = (form.get('note') ?? '').trim();
      const channel = (form.get('channel') ?? '').trim();
      const msgId = form.get('msgId') ?? '';
      const direction = form.get('direction') ?? 'sent';
      if (!/^[1-9][0-9]{0,9}$/.test(her) || note === '' || channel === '') throw new HttpError(400, 'invalid_request', 'partner, kanal og notat må fylles ut');
      if (direction !== 'sent' && direction !== 'received') throw new HttpError(400, 'invalid_request', 'ugyldig retning');
      try {
        await node.recordManualDelivery({ partnerHerId: Number(her), direction, channel, note, ...(msgId === '' ? {} : { msgId }) }, ctx.actor);
      } catch (err) {
        if (err instanceof TypeError) throw new HttpError(422, 'invalid_request', err.message);
        throw err;
      }
      redirect(ctx.res, '/ui/nedetid?ok=registrert');
    }),
  );

  // --- sending the chain's messages ---
  const partnerOptions = html`${config.partners.map((p) => html`<option value="${String(p.herId)}">${p.name} (HER ${String(p.herId)})</option>`)}`;
  const patientFields = html`<label for="fnr">Fødselsnummer<input id="fnr" name="fnr" inputmode="numeric" pattern="[0-9]{11}" required autocomplete="off"></label>
    <label for="given">Fornavn<input id="given" name="givenName" required maxlength="100"></label>
    <label for="family">Etternavn<input id="family" name="familyName" required maxlength="100"></label>`;
  const LOG_FORMS: readonly { type: string; title: string; note: string }[] =
    role === 'sthf'
      ? [
          { type: 'LOG_INNLAGT', title: 'Meld innlagt pasient', note: 'Sendes til kommunens sykepleietjeneste når pasienten har kommunale tjenester.' },
          { type: 'LOG_UTSKRIVNINGSKLAR', title: 'Meld utskrivningsklar pasient', note: 'Sendes samme dag som lege har vurdert pasienten som utskrivningsklar.' },
          { type: 'LOG_AVMELDING', title: 'Avmeld utskrivningsklar pasient', note: 'Når pasienten igjen trenger sykehusbehandling.' },
          { type: 'LOG_UTSKREVET', title: 'Meld utskrevet pasient', note: 'Når pasienten har forlatt sykehuset.' },
          { type: 'LOG_DOD', title: 'Orientering om dødsfall', note: '' },
        ]
      : [{ type: 'LOG_DOD', title: 'Orientering om dødsfall', note: '' }];
  const noticeForm = (ctx: UiCtx): Html =>
    role !== 'sthf'
      ? html``
      : html`<section aria-labelledby="h-HELSEOPPL_SOKNAD"><h2 id="h-HELSEOPPL_SOKNAD">Varsle kommunen om innlagt pasient (helseopplysninger)</h2>
          <p class="muted">Innen 24 timer etter innleggelsen: forventet behov for kommunale tjenester etter utskrivning (helseopplysninger ved søknad, varsel).</p>
          <form method="post" action="/ui/send/helseopplysninger" class="stack">${csrfField(ctx)}
            ${raw(patientFields.__html.replace(/id="(fnr|given|family)"/g, 'id="$1-HELSEOPPL_SOKNAD"').replace(/for="(fnr|given|family)"/g, 'for="$1-HELSEOPPL_SOKNAD"'))}
            <label for="to-HELSEOPPL_SOKNAD">Mottaker<select id="to-HELSEOPPL_SOKNAD" name="receiverHerId">${partnerOptions}</select></label>
            <label for="behov-HELSEOPPL_SOKNAD">Forventet behov etter utskrivning<textarea id="behov-HELSEOPPL_SOKNAD" name="behov" rows="3" required maxlength="2000"></textarea></label>
            <button type="submit">Send varsel til kommunen</button></form></section>`;
  router.add(
    'GET',
    '/ui/send',
    view(async (ctx) => {
      const mayNot = !can(ctx.session.principal.role, 'submit');
      await send(
        ctx,
        'Send melding',
        '/ui/send',
        mayNot
          ? html`<p>Rollen din kan ikke sende meldinger.</p>`
          : html`${role === 'kommune' ? html`<p>Svar på en melding om utskrivningsklar pasient fra meldingen i <a href="/ui/innboks">innboksen</a>.</p>` : ''}
            ${LOG_FORMS.map(
              (f) => html`${f.type === 'LOG_UTSKRIVNINGSKLAR' ? noticeForm(ctx) : ''}<section aria-labelledby="h-${f.type}"><h2 id="h-${f.type}">${f.title}</h2>${f.note === '' ? '' : html`<p class="muted">${f.note}</p>`}
              <form method="post" action="/ui/send/logistikk" class="stack" data-type="${f.type}">${csrfField(ctx)}<input type="hidden" name="type" value="${f.type}">
                ${raw(patientFields.__html.replace(/id="(fnr|given|family)"/g, `id="$1-${f.type}"`).replace(/for="(fnr|given|family)"/g, `for="$1-${f.type}"`))}
                <label for="to-${f.type}">Mottaker<select id="to-${f.type}" name="receiverHerId">${partnerOptions}</select></label>
                <label for="at-${f.type}">Tidspunkt (tom: nå)<input id="at-${f.type}" name="at" type="datetime-local"></label>
                ${f.type === 'LOG_UTSKREVET'
                  ? html`<label for="til-${f.type}">Utskrevet til<select id="til-${f.type}" name="utTil"><option value="1">Hjem</option><option value="11">Sykehjem/aldershjem/helsehus</option><option value="3">Annet sykehus</option></select></label>`
                  : ''}
                <label for="m-${f.type}">Merknad<input id="m-${f.type}" name="merknad" maxlength="500"></label>
                <button type="submit">${f.title}</button></form></section>`,
            )}`,
      );
    }),
  );

  const submitOrFail = async (ctx: UiCtx, input: SubmitMessageInput, back: string): Promise<void> => {
    const result = await node.submit(input, ctx.actor);
    if (!result.accepted) {
      await send(
        ctx,
        'Meldingen ble ikke sendt',
        '',
        html`<p class="error" role="alert">Meldingen validerer ikke og er ikke sendt:</p><ul>${result.issues.map((i) => html`<li>${i.path === undefined ? '' : html`<code>${i.path}</code>: `}${i.message} <span class="code">(${i.code})</span></li>`)}</ul><p><a href="${back}">Tilbake</a></p>`,
        { status: 422 },
      );
      return;
    }
    deps.logger.info('message submitted from the ui', { msgId: result.msgId, msgType: input.type, clientId: ctx.actor.id });
    redirect(ctx.res, `/ui/meldinger/outgoing/${encodeURIComponent(result.msgId)}?ok=sendt`);
  };

  const localInstant = (v: string | null): string => {
    if (v === null || v === '') return deps.clock().toISOString();
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) throw new HttpError(400, 'invalid_request', 'ugyldig tidspunkt');
    // The form's local time is Norwegian time: resolve the offset for that moment in Europe/Oslo.
    const guess = new Date(`${v}:00Z`);
    const oslo = new Date(guess.toLocaleString('en-US', { timeZone: 'Europe/Oslo' }));
    const utc = new Date(guess.toLocaleString('en-US', { timeZone: 'UTC' }));
    return new Date(guess.getTime() - (oslo.getTime() - utc.getTime())).toISOString();
  };

  /** The receiver and patient of a send form, checked (400 with a Norwegian message otherwise). */
  const receiverAndPatient = (form: URLSearchParams): Pick<SubmitMessageInput, 'receiverHerId' | 'patient'> => {
    const fnr = (form.get('fnr') ?? '').trim();
    if (!checkPersonId(fnr, { allowSynthetic: config.policies.testEnvironment }).valid) throw new HttpError(400, 'invalid_request', 'ugyldig fødselsnummer');
    const receiver = form.get('receiverHerId') ?? '';
    if (!config.partners.some((p) => String(p.herId) === receiver)) throw new HttpError(400, 'invalid_request', 'ukjent mottaker');
    return {
      receiverHerId: Number(receiver),
      patient: { familyName: (form.get('familyName') ?? '').trim(), givenName: (form.get('givenName') ?? '').trim(), idents: [{ id: fnr, typeId: { v: 'FNR', dn: 'Fødselsnummer', s: '2.16.578.1.12.4.1.1.8116' } }] },
    };
  };

  router.add(
    'POST',
    '/ui/send/logistikk',
    action('submit', async (ctx, form) => {
      const type = form.get('type') ?? '';
      if (!LOG_FORMS.some((f) => f.type === type)) throw new HttpError(400, 'invalid_request', 'ukjent meldingstype');
      const parties = receiverAndPatient(form);
      const merknad = (form.get('merknad') ?? '').trim();
      const utTil = form.get('utTil');
      const content: Record<string, unknown> = {
        informasjonOmForsendelsen: { forsendelsesstatus: 'N' },
        hendelse: { tidspunkt: localInstant(form.get('at')), ...(merknad === '' ? {} : { merknad }) },
        ...(type === 'LOG_UTSKREVET' ? { utskrevetTil: { utTil: { v: utTil !== null && /^\d{1,2}$/.test(utTil) ? utTil : '1', s: '2.16.578.1.12.4.1.1.8408' } } } : {}),
      };
      await submitOrFail(
        ctx,
        {
          type,
          ...parties,
          content,
        },
        '/ui/send',
      );
    }),
  );

  router.add(
    'POST',
    '/ui/send/helseopplysninger',
    action('submit', async (ctx, form) => {
      if (role !== 'sthf') throw new HttpError(404, 'not_found', 'finnes ikke');
      const parties = receiverAndPatient(form);
      const behov = (form.get('behov') ?? '').trim();
      if (behov === '') throw new HttpError(400, 'invalid_request', 'beskriv forventet behov');
      await submitOrFail(
        ctx,
        {
          type: 'HELSEOPPL_SOKNAD',
          ...parties,
          content: {
            informasjonOmForsendelsen: { forsendelsesstatus: 'N' },
            typeInnhold: '1',
            opplysninger: [{ typeOpplysning: { v: 'VU', s: '2.16.578.1.12.4.1.1.9142' }, tekst: behov }],
          },
        },
        '/ui/send',
      );
    }),
  );

  router.add(
    'POST',
    '/ui/send/svar',
    action('submit', async (ctx, form) => {
      if (role !== 'kommune') throw new HttpError(404, 'not_found', 'finnes ikke');
      const id = form.get('id') ?? '';
      const original = isEngineSerial(id) ? await node.getMessage('incoming', id, ctx.actor) : undefined;
      if (original === undefined || original.summary.type !== 'LOG_UTSKRIVNINGSKLAR') throw new HttpError(400, 'invalid_request', 'fant ikke meldingen det svares på');
      const summary = original.summary as { senderHerId?: number; msgId?: string };
      const patient = patientOf(original);
      if (summary.senderHerId === undefined || summary.msgId === undefined || patient === undefined) throw new HttpError(400, 'invalid_request', 'meldingen mangler avsender eller pasient');
      const answer = form.get('answer');
      const date = form.get('date') ?? '';
      if (answer !== 'can-receive' && answer !== 'cannot-receive' && answer !== 'offer-ready') throw new HttpError(400, 'invalid_request', 'velg et svar');
      if (date !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new HttpError(400, 'invalid_request', 'ugyldig dato');
      const free = (form.get('text') ?? '').trim();
      const base =
        answer === 'can-receive'
          ? 'Kommunen kan ta imot pasienten.'
          : answer === 'offer-ready'
            ? 'Tilbudet er klart: kommunen kan nå ta imot pasienten.'
            : `Kommunen kan ikke ta imot pasienten ennå.${date === '' ? '' : ` Forventet klar: ${date}.`}`;
      const text = free === '' ? base : `${base} ${free}`;
      const documentId = `SVAR-${summary.msgId.slice(0, 8)}-${String(deps.clock().getTime())}`;
      const question = { topic: UTSKRIVNINGSKLAR_FEEDBACK_TOPIC, question: text, documentId };
      const content: Record<string, unknown> =
        config.policies.answerMessageType === 'DIALOG_SVAR'
          ? { status: { v: '5', s: '2.16.578.1.12.4.1.1.9069', dn: 'Svar på forespørsel' }, answer: text, documentId, question }
          : { questions: [question] };
      await submitOrFail(
        ctx,
        { type: config.policies.answerMessageType, receiverHerId: summary.senderHerId, patient: patient as Record<string, unknown>, content, inReplyTo: summary.msgId },
        `/ui/meldinger/incoming/${encodeURIComponent(id)}`,
      );
    }),
  );
}
