/**
 * The REST API for the EPJ (`/api/...`), described by {@link openApiDocument} at `/openapi.json`.
 * Handlers only translate HTTP to the engine's `MessagingNode`; the engine does the work and
 * writes the audit log from the `Actor` passed with every call.
 */
import type { Actor, AnswerClassificationInput, ListFilter, MessagingNode, SubmitMessageInput } from '@samhandling/messaging';
import type { Permission, Principal } from './auth';
import { actorOf, can } from './auth';
import { HttpError, readJson, sendBinary, sendJson, sendText, type RequestContext, type Router } from './http';
import type { Logger } from './logger';
import { downtimePdf, manualHandlingMessages, messagePdf } from './pdf';
import type { RegisterPartner } from './register';

/** What the API needs from the server. */
export interface ApiDeps {
  readonly node: MessagingNode;
  readonly logger: Logger;
  readonly limits: { readonly bodyLimitBytes: number; readonly maxJsonDepth: number };
  /** The authenticated principal of a request (Bearer token), or throws 401. */
  readonly authenticate: (ctx: RequestContext) => Principal;
  /** Our name (printed on PDFs). */
  readonly orgName: string;
  readonly clock: () => Date;
  /** The partners of the address register (undefined when it cannot be read). */
  readonly registerPartners: () => readonly RegisterPartner[] | undefined;
}

/** A field problem in a request body. */
export interface RequestIssue {
  readonly path: string;
  readonly message: string;
}

const MSG_TYPE = /^[A-Z][A-Z0-9_]{1,40}$/;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function herIdOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 2147483647) return v;
  return undefined;
}

/** Checks the shape of a submission (the engine checks the content against the standard). */
export function checkSubmission(body: unknown): { input?: SubmitMessageInput; issues: RequestIssue[] } {
  const issues: RequestIssue[] = [];
  if (!isObj(body)) return { issues: [{ path: '', message: 'must be a JSON object' }] };
  const known = ['type', 'senderHerId', 'receiverHerId', 'copyTo', 'patient', 'content', 'inReplyTo', 'idempotencyKey'];
  for (const k of Object.keys(body)) if (!known.includes(k)) issues.push({ path: k, message: 'unknown field' });
  if (typeof body['type'] !== 'string' || !MSG_TYPE.test(body['type'])) issues.push({ path: 'type', message: 'must be a message type code (8279), e.g. LOG_UTSKRIVNINGSKLAR' });
  if (herIdOf(body['receiverHerId']) === undefined) issues.push({ path: 'receiverHerId', message: 'must be a HER-id (positive integer)' });
  if (body['senderHerId'] !== undefined && herIdOf(body['senderHerId']) === undefined) issues.push({ path: 'senderHerId', message: 'must be a HER-id (positive integer)' });
  if (body['copyTo'] !== undefined) {
    if (!Array.isArray(body['copyTo'])) issues.push({ path: 'copyTo', message: 'must be a list of HER-ids' });
    else body['copyTo'].forEach((v: unknown, i) => herIdOf(v) === undefined && issues.push({ path: `copyTo[${String(i)}]`, message: 'must be a HER-id' }));
  }
  if (!isObj(body['patient'])) issues.push({ path: 'patient', message: 'must be an object (plo Person: familyName, givenName, idents)' });
  if (!isObj(body['content'])) issues.push({ path: 'content', message: 'must be an object (the content model of the type)' });
  for (const k of ['inReplyTo', 'idempotencyKey']) {
    const v = body[k];
    if (v !== undefined && (typeof v !== 'string' || v.length === 0 || v.length > 200)) issues.push({ path: k, message: 'must be a string of 1 to 200 characters' });
  }
  if (issues.length > 0) return { issues };
  return { input: body as unknown as SubmitMessageInput, issues };
}

function intParam(url: URL, name: string, min: number, max: number): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max) throw new HttpError(400, 'invalid_query', `${name} must be an integer from ${String(min)} to ${String(max)}`);
  return Number(v);
}

function strParam(url: URL, name: string): string | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  if (v.length > 200) throw new HttpError(400, 'invalid_query', `${name} is too long`);
  return v;
}

/** List filter from the query string (`limit`, `offset`, `type`, `state`, `stayKey`). */
export function listFilter(url: URL): ListFilter {
  const limit = intParam(url, 'limit', 1, 500);
  const offset = intParam(url, 'offset', 0, 1_000_000_000);
  const type = strParam(url, 'type');
  const state = strParam(url, 'state');
  const stayKey = strParam(url, 'stayKey');
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(offset === undefined ? {} : { offset }),
    ...(type === undefined ? {} : { type }),
    ...(state === undefined ? {} : { state }),
    ...(stayKey === undefined ? {} : { stayKey }),
  };
}

function boolParam(url: URL, name: string): boolean | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  if (v !== 'true' && v !== 'false') throw new HttpError(400, 'invalid_query', `${name} must be true or false`);
  return v === 'true';
}

function direction(v: string | undefined): 'outgoing' | 'incoming' {
  if (v === 'outgoing' || v === 'incoming') return v;
  throw new HttpError(404, 'not_found', 'no such message direction');
}

/**
 * The engine numbers incoming messages and inbox entries (decimal ids); any other id names nothing
 * and is answered 404 before it reaches the store (which refuses it as a caller mistake).
 */
export function isEngineSerial(id: string | undefined): id is string {
  return id !== undefined && /^[0-9]{1,18}$/.test(id);
}

function messageId(d: 'outgoing' | 'incoming', id: string | undefined): string {
  if (id === undefined || id === '' || (d === 'incoming' && !isEngineSerial(id))) throw new HttpError(404, 'not_found', 'message not found');
  return id;
}

/**
 * Checks the shape of an answer classification (`{ answer, date? }`); whether the values make a
 * classification is the engine's decision (a TypeError there is answered 422).
 */
export function checkClassificationBody(body: Record<string, unknown>): { input?: AnswerClassificationInput; issues: RequestIssue[] } {
  const issues: RequestIssue[] = [];
  for (const k of Object.keys(body)) if (k !== 'answer' && k !== 'date') issues.push({ path: k, message: 'unknown field' });
  const answer = body['answer'];
  if (typeof answer !== 'string' || answer.length > 40) issues.push({ path: 'answer', message: 'is required: "can-receive", "cannot-receive" or "offer-ready"' });
  const date = body['date'];
  if (date !== undefined && (typeof date !== 'string' || date.length > 40)) issues.push({ path: 'date', message: 'must be a date YYYY-MM-DD (with cannot-receive)' });
  if (issues.length > 0) return { issues };
  return { input: { answer: answer as AnswerClassificationInput['answer'], ...(typeof date === 'string' ? { date } : {}) }, issues };
}

/**
 * Asks the engine to classify an answer: an invalid classification (the engine's TypeError) is
 * answered 422; an unknown message (`ERR_MSG_NOT_FOUND`) 404 and an answer that the rule read or
 * that is not an answer (`ERR_MSG_INVALID_STATE`) 409, through the server's error mapping.
 */
export async function classifyAnswerOrFail(node: MessagingNode, msgId: string, input: AnswerClassificationInput, actor: Actor): Promise<Awaited<ReturnType<MessagingNode['classifyAnswer']>>> {
  try {
    return await node.classifyAnswer(msgId, input, actor);
  } catch (err) {
    if (err instanceof TypeError) throw new HttpError(422, 'invalid_classification', err.message, [{ path: /date/.test(err.message) ? 'date' : 'answer', message: err.message }]);
    throw err;
  }
}

/** Registers the `/api` routes on `router`. */
export function registerApi(router: Router, deps: ApiDeps): void {
  const { node } = deps;
  const guard = (permission: Permission, handler: (ctx: RequestContext, actor: Actor) => Promise<void>) => async (ctx: RequestContext) => {
    const p = deps.authenticate(ctx);
    if (!can(p.role, permission)) throw new HttpError(403, 'forbidden', `the role ${p.role} may not do this`);
    await handler(ctx, actorOf(p));
  };
  const body = async (ctx: RequestContext): Promise<Record<string, unknown>> => {
    const v = await readJson(ctx.req, deps.limits);
    if (!isObj(v)) throw new HttpError(400, 'invalid_request', 'the body must be a JSON object', [{ path: '', message: 'must be a JSON object' }]);
    return v;
  };
  const found = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new HttpError(404, 'not_found', `${what} not found`);
    return v;
  };

  router.add(
    'POST',
    '/api/messages',
    guard('submit', async (ctx, actor) => {
      const checked = checkSubmission(await readJson(ctx.req, deps.limits));
      if (checked.input === undefined) throw new HttpError(400, 'invalid_request', 'the submission is invalid', checked.issues);
      const result = await node.submit(checked.input, actor);
      if (!result.accepted) {
        sendJson(ctx.res, 422, { error: 'validation_failed', message: 'the message was not sent: it does not validate', issues: result.issues });
        return;
      }
      deps.logger.info('message submitted', { msgId: result.msgId, msgType: checked.input.type, clientId: actor.id });
      sendJson(ctx.res, 202, { msgId: result.msgId, message: result.message }, { location: `/api/messages/outgoing/${encodeURIComponent(result.msgId)}` });
    }),
  );
  router.add('GET', '/api/messages/outgoing', guard('read', async (ctx, actor) => sendJson(ctx.res, 200, { items: await node.listOutgoing(listFilter(ctx.url), actor) })));
  router.add('GET', '/api/messages/incoming', guard('read', async (ctx, actor) => sendJson(ctx.res, 200, { items: await node.listIncoming(listFilter(ctx.url), actor) })));
  router.add(
    'GET',
    '/api/messages/{direction}/{id}',
    guard('read', async (ctx, actor) => {
      const d = direction(ctx.params['direction']);
      sendJson(ctx.res, 200, found(await node.getMessage(d, messageId(d, ctx.params['id']), actor), 'message'));
    }),
  );
  router.add(
    'GET',
    '/api/messages/{direction}/{id}/printable',
    guard('read', async (ctx, actor) => {
      const d = direction(ctx.params['direction']);
      sendText(ctx.res, 200, 'text/html; charset=utf-8', found(await node.renderPrintable(d, messageId(d, ctx.params['id']), actor), 'message'));
    }),
  );
  router.add(
    'GET',
    '/api/messages/{direction}/{id}/pdf',
    guard('read', async (ctx, actor) => {
      const d = direction(ctx.params['direction']);
      const id = messageId(d, ctx.params['id']);
      const detail = found(await node.getMessage(d, id, actor), 'message');
      sendBinary(ctx.res, 200, 'application/pdf', await messagePdf(detail, deps.orgName, deps.clock()), `melding-${id}.pdf`);
    }),
  );
  router.add(
    'POST',
    '/api/messages/outgoing/{id}/resend',
    guard('operate', async (ctx, actor) => {
      await node.resend(ctx.params['id'] ?? '', actor);
      deps.logger.info('resend requested', { msgId: ctx.params['id'], clientId: actor.id });
      sendJson(ctx.res, 202, { ok: true });
    }),
  );

  router.add(
    'GET',
    '/api/inbox',
    guard('inbox', async (ctx, actor) => {
      const all = boolParam(ctx.url, 'all') ?? false;
      const limit = intParam(ctx.url, 'limit', 1, 500);
      sendJson(ctx.res, 200, { items: await node.listInbox({ unacknowledgedOnly: !all, ...(limit === undefined ? {} : { limit }) }, actor) });
    }),
  );
  router.add(
    'POST',
    '/api/inbox/{id}/ack',
    guard('inbox', async (ctx, actor) => {
      const id = ctx.params['id'];
      if (!isEngineSerial(id)) throw new HttpError(404, 'not_found', 'inbox entry not found');
      await node.acknowledgeInbox(id, actor);
      deps.logger.info('inbox entry acknowledged', { inboxId: ctx.params['id'], clientId: actor.id });
      sendJson(ctx.res, 200, { ok: true });
    }),
  );

  router.add('GET', '/api/stays', guard('read', async (ctx, actor) => sendJson(ctx.res, 200, { items: await node.listStays(actor) })));
  router.add('GET', '/api/stays/{key}', guard('read', async (ctx, actor) => sendJson(ctx.res, 200, found(await node.getStay(ctx.params['key'] ?? '', actor), 'stay'))));

  router.add(
    'POST',
    '/api/answers/{msgId}/classification',
    guard('operate', async (ctx, actor) => {
      const msgId = ctx.params['msgId'] ?? '';
      if (msgId === '' || msgId.length > 200) throw new HttpError(404, 'not_found', 'message not found');
      const checked = checkClassificationBody(await body(ctx));
      if (checked.input === undefined) throw new HttpError(400, 'invalid_request', 'the classification is invalid', checked.issues);
      const stay = await classifyAnswerOrFail(node, msgId, checked.input, actor);
      deps.logger.info('answer classified', { msgId, answer: checked.input.answer, clientId: actor.id });
      sendJson(ctx.res, 200, stay);
    }),
  );

  router.add(
    'GET',
    '/api/tasks',
    guard('read', async (ctx, actor) => {
      const open = boolParam(ctx.url, 'open');
      sendJson(ctx.res, 200, { items: await node.listTasks(open === undefined ? {} : { open }, actor) });
    }),
  );
  router.add(
    'POST',
    '/api/tasks/{id}/complete',
    guard('operate', async (ctx, actor) => {
      await node.completeTask(ctx.params['id'] ?? '', actor);
      sendJson(ctx.res, 200, { ok: true });
    }),
  );

  router.add('GET', '/api/quarantine', guard('read', async (ctx, actor) => sendJson(ctx.res, 200, { items: await node.listQuarantine(actor) })));
  const quarantineId = (ctx: RequestContext): string => {
    const id = ctx.params['id'];
    if (!isEngineSerial(id)) throw new HttpError(404, 'not_found', 'quarantine entry not found');
    return id;
  };
  router.add(
    'POST',
    '/api/quarantine/{id}/forward',
    guard('operate', async (ctx, actor) => {
      quarantineId(ctx);
      const b = await body(ctx);
      const to = herIdOf(b['toHerId']);
      if (to === undefined) throw new HttpError(400, 'invalid_request', 'toHerId is required', [{ path: 'toHerId', message: 'must be a HER-id (positive integer)' }]);
      await node.forwardQuarantined(ctx.params['id'] ?? '', to, actor);
      sendJson(ctx.res, 200, { ok: true });
    }),
  );
  router.add(
    'POST',
    '/api/quarantine/{id}/feedback',
    guard('operate', async (ctx, actor) => {
      quarantineId(ctx);
      const b = await body(ctx);
      const issues: RequestIssue[] = [];
      const reason = b['reason'];
      if (reason !== '1' && reason !== '2' && reason !== '9') issues.push({ path: 'reason', message: 'must be "1" (feil adressat), "2" (mangelfulle opplysninger) or "9" (annet)' });
      const text = b['text'];
      if (typeof text !== 'string' || text.trim() === '' || text.length > 2000) issues.push({ path: 'text', message: 'is required: 1 to 2000 characters' });
      if (issues.length > 0) throw new HttpError(400, 'invalid_request', 'the feedback is invalid', issues);
      await node.sendErrorFeedback(ctx.params['id'] ?? '', reason as '1' | '2' | '9', text as string, actor);
      sendJson(ctx.res, 200, { ok: true });
    }),
  );
  router.add(
    'POST',
    '/api/quarantine/{id}/handled',
    guard('operate', async (ctx, actor) => {
      quarantineId(ctx);
      const b = await body(ctx);
      const note = b['note'];
      if (typeof note !== 'string' || note.trim() === '' || note.length > 2000) throw new HttpError(400, 'invalid_request', 'note is required', [{ path: 'note', message: 'is required: 1 to 2000 characters' }]);
      await node.markQuarantineHandled(ctx.params['id'] ?? '', note, actor);
      sendJson(ctx.res, 200, { ok: true });
    }),
  );

  router.add(
    'GET',
    '/api/downtime',
    guard('read', async (ctx, actor) => {
      const view = await node.downtime(actor);
      const register = deps.registerPartners();
      // Every partner of the address register, with the transport endpoint whose manual mode applies to it.
      sendJson(ctx.res, 200, { ...view, ...(register === undefined ? {} : { register: register.map((r) => ({ herId: r.herId, name: r.name, kind: r.kind, endpointHerId: r.endpointHerId, manualModeSwitchable: r.endpoint })) }) });
    }),
  );
  router.add(
    'GET',
    '/api/downtime/pdf',
    guard('read', async (ctx, actor) => {
      const [view, messages] = await Promise.all([node.downtime(actor), manualHandlingMessages(node, actor)]);
      sendBinary(ctx.res, 200, 'application/pdf', await downtimePdf(view, messages, deps.orgName, deps.clock(), deps.registerPartners()), 'nedetid-manuell-handtering.pdf');
    }),
  );
  router.add(
    'POST',
    '/api/downtime/{herId}/manual-mode',
    guard('operate', async (ctx, actor) => {
      const her = herIdOf(Number(ctx.params['herId']));
      if (her === undefined || !/^\d+$/.test(ctx.params['herId'] ?? '')) throw new HttpError(400, 'invalid_request', 'herId must be a HER-id');
      const b = await body(ctx);
      if (typeof b['on'] !== 'boolean') throw new HttpError(400, 'invalid_request', 'on is required', [{ path: 'on', message: 'must be true or false' }]);
      // The engine holds messages per transport endpoint: a service without its own transport follows its organisation.
      const service = deps.registerPartners()?.find((r) => r.herId === her && !r.endpoint);
      if (service !== undefined) throw new HttpError(409, 'conflict', `HER-id ${String(her)} has no transport of its own: switch manual mode for its transport endpoint ${String(service.endpointHerId)}`);
      await node.setManualMode(her, b['on'], actor);
      sendJson(ctx.res, 200, { ok: true });
    }),
  );
  router.add(
    'POST',
    '/api/downtime/notices',
    guard('operate', async (ctx, actor) => {
      const b = await body(ctx);
      const issues: RequestIssue[] = [];
      for (const k of Object.keys(b)) if (!['partners', 'planned', 'from', 'expectedUntil', 'reason'].includes(k)) issues.push({ path: k, message: 'unknown field' });
      const partners = b['partners'];
      const herIds = Array.isArray(partners) ? partners.map(herIdOf) : [];
      if (!Array.isArray(partners) || partners.length === 0 || partners.length > 500 || herIds.some((h) => h === undefined)) issues.push({ path: 'partners', message: 'must be 1 to 500 HER-ids' });
      if (typeof b['planned'] !== 'boolean') issues.push({ path: 'planned', message: 'must be true (planned) or false (an estimate for an ongoing downtime)' });
      if (typeof b['from'] !== 'string' || b['from'].length > 40) issues.push({ path: 'from', message: 'must be an ISO 8601 date-time with offset' });
      const until = b['expectedUntil'];
      if (until !== undefined && (typeof until !== 'string' || until.length > 40)) issues.push({ path: 'expectedUntil', message: 'must be an ISO 8601 date-time with offset' });
      const reason = b['reason'];
      if (typeof reason !== 'string' || reason.trim() === '' || reason.length > 2000) issues.push({ path: 'reason', message: 'is required: 1 to 2000 characters' });
      if (issues.length > 0) throw new HttpError(400, 'invalid_request', 'the downtime notice is invalid', issues);
      let sent;
      try {
        sent = await node.announceDowntime(
          { partners: herIds as number[], planned: b['planned'] as boolean, from: b['from'] as string, ...(typeof until === 'string' ? { expectedUntil: until } : {}), reason: reason as string },
          actor,
        );
      } catch (err) {
        if (err instanceof TypeError) throw new HttpError(400, 'invalid_request', err.message, [{ path: /expectedUntil/.test(err.message) ? 'expectedUntil' : /from/.test(err.message) ? 'from' : 'notice', message: err.message }]);
        throw err;
      }
      sendJson(ctx.res, 201, { notices: sent });
    }),
  );
  router.add(
    'POST',
    '/api/downtime/manual-deliveries',
    guard('operate', async (ctx, actor) => {
      const b = await body(ctx);
      const issues: RequestIssue[] = [];
      const partnerHerId = herIdOf(b['partnerHerId']);
      if (partnerHerId === undefined) issues.push({ path: 'partnerHerId', message: 'must be a HER-id (positive integer)' });
      const channel = b['channel'];
      if (typeof channel !== 'string' || channel.trim() === '' || channel.length > 100) issues.push({ path: 'channel', message: 'is required: e.g. "telefon", "post", "faks", "bud"' });
      const note = b['note'];
      if (typeof note !== 'string' || note.trim() === '' || note.length > 2000) issues.push({ path: 'note', message: 'is required: 1 to 2000 characters' });
      const msgId = b['msgId'];
      if (msgId !== undefined && (typeof msgId !== 'string' || msgId.trim() === '' || msgId.length > 200)) issues.push({ path: 'msgId', message: 'must be a non-empty string' });
      const direction = b['direction'];
      if (direction !== undefined && direction !== 'sent' && direction !== 'received') issues.push({ path: 'direction', message: 'must be "sent" (ours, delivered by hand) or "received" (the partner\'s, received by hand)' });
      if (issues.length > 0 || partnerHerId === undefined) throw new HttpError(400, 'invalid_request', 'the manual delivery is invalid', issues);
      try {
        await node.recordManualDelivery(
          { partnerHerId, channel: channel as string, note: note as string, ...(typeof msgId === 'string' ? { msgId } : {}), ...(direction === 'received' ? { direction } : {}) },
          actor,
        );
      } catch (err) {
        // the engine's TypeError: the message went to another partner
        if (err instanceof TypeError) throw new HttpError(422, 'invalid_request', err.message, [{ path: 'msgId', message: err.message }]);
        throw err;
      }
      sendJson(ctx.res, 201, { ok: true });
    }),
  );
}
