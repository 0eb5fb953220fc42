/**
 * The OpenAPI 3.1 description of the REST API, served at `/openapi.json`.
 */

type Json = Readonly<Record<string, unknown>>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ content: { 'application/json': { schema } } });
const ok = (description: string, schema: Json): Json => ({ description, ...json(schema) });
const list = (item: string): Json => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref(item) } } });
const errors = (...codes: number[]): Record<string, Json> => {
  const text: Record<number, string> = {
    400: 'Invalid input (issues list each field)',
    401: 'Missing or unknown token',
    403: 'The role may not do this',
    404: 'Not found',
    413: 'Body too large',
    415: 'Wrong content type',
    409: 'Not allowed in this state',
    422: 'Not valid: the message does not validate and was not sent, or the classification is invalid',
  };
  return Object.fromEntries([401, 403, ...codes].map((c) => [String(c), { description: text[c] ?? 'Error', ...json(ref('Error')) }]));
};
const id = (name: string, description: string): Json => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const query = (name: string, schema: Json, description: string): Json => ({ name, in: 'query', required: false, description, schema });
const listQuery = [
  query('limit', { type: 'integer', minimum: 1, maximum: 500 }, 'Page size'),
  query('offset', { type: 'integer', minimum: 0 }, 'Skip this many'),
  query('type', { type: 'string' }, 'Message type (8279)'),
  query('state', { type: 'string' }, 'Transport or incoming state'),
  query('stayKey', { type: 'string' }, 'Only messages of this stay'),
];
const okBody = ok('Done', { type: 'object', properties: { ok: { const: true } } });

/** The OpenAPI 3.1 document. `title` names the node (e.g. the municipality). */
export function openApiDocument(title: string, version: string): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: `Samhandling node API: ${title}`,
      version,
      description:
        'REST API of a Samhandling reference app for the EPJ: submit PLO messages as JSON models, follow transport and AppRec state, stays with procedure state and payment days, tasks, quarantine, downtime and the EPJ inbox (poll + acknowledge, or webhooks signed with HMAC-SHA256 in X-Samhandling-Signature). Every read of patient data is written to the audit log. Authenticate with `Authorization: Bearer <token>`; roles epj-system, operator, read-only, and monitor (health, readiness and metrics only). Every endpoint needs a token.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/messages': {
        post: {
          summary: 'Submit a message (built, validated, signed, encrypted, sent)',
          description: 'Role: epj-system or operator. A message that does not validate is never sent (422 with every issue).',
          requestBody: { required: true, ...json(ref('SubmitMessage')) },
          responses: { '202': ok('Accepted and queued', { type: 'object', properties: { msgId: { type: 'string' }, message: ref('OutgoingMessage') } }), ...errors(400, 413, 415, 422) },
        },
      },
      '/api/messages/outgoing': { get: { summary: 'List outgoing messages with transport and receipt state', parameters: listQuery, responses: { '200': ok('Outgoing messages', list('OutgoingMessage')), ...errors(400) } } },
      '/api/messages/incoming': { get: { summary: 'List incoming messages with the AppRec we answered', parameters: listQuery, responses: { '200': ok('Incoming messages', list('IncomingMessage')), ...errors(400) } } },
      '/api/messages/{direction}/{id}': {
        get: {
          summary: 'One message with its parsed model and XML (audited)',
          parameters: [{ name: 'direction', in: 'path', required: true, schema: { enum: ['outgoing', 'incoming'] } }, id('id', 'MsgId (outgoing) or incoming id')],
          responses: { '200': ok('The message', ref('MessageDetail')), ...errors(404) },
        },
      },
      '/api/messages/{direction}/{id}/printable': {
        get: {
          summary: 'Printable HTML rendering for manual handling (audited)',
          parameters: [{ name: 'direction', in: 'path', required: true, schema: { enum: ['outgoing', 'incoming'] } }, id('id', 'MsgId or incoming id')],
          responses: { '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } }, ...errors(404) },
        },
      },
      '/api/messages/{direction}/{id}/pdf': {
        get: {
          summary: 'The message as a PDF for manual handling: summary and readable content (audited)',
          parameters: [{ name: 'direction', in: 'path', required: true, schema: { enum: ['outgoing', 'incoming'] } }, id('id', 'MsgId or incoming id')],
          responses: { '200': { description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, ...errors(404) },
        },
      },
      '/api/messages/outgoing/{id}/resend': { post: { summary: 'Resend a dead-lettered or held message (operator)', parameters: [id('id', 'MsgId')], responses: { '202': okBody, ...errors(404) } } },
      '/api/inbox': {
        get: {
          summary: 'Poll the EPJ inbox: incoming business messages not yet acknowledged (epj-system)',
          parameters: [query('all', { type: 'boolean' }, 'Include acknowledged entries'), query('limit', { type: 'integer', minimum: 1, maximum: 500 }, 'Page size')],
          responses: { '200': ok('Inbox entries', list('InboxEntry')), ...errors(400) },
        },
      },
      '/api/inbox/{id}/ack': { post: { summary: 'Acknowledge an inbox entry: it is not offered again (epj-system)', parameters: [id('id', 'Inbox id')], responses: { '200': okBody, ...errors(404) } } },
      '/api/stays': { get: { summary: 'Stays with procedure state, deadlines and payment days', responses: { '200': ok('Stays', list('Stay')) } } },
      '/api/stays/{key}': { get: { summary: 'One stay', parameters: [id('key', 'Stay key')], responses: { '200': ok('The stay', ref('Stay')), ...errors(404) } } },
      '/api/answers/{msgId}/classification': {
        post: {
          summary: 'Classify an answer to LOG_UTSKRIVNINGSKLAR that the answer rule could not read (operator)',
          description:
            'For the alarm `unclassified-answer:<msgId>` (ADR 0014): the stay procedure on this side gets the same event as if the rule had read the answer, the stay records the answer as classified manually (procedure.answers[].classifiedBy = "manual", with who and when), the alarm is completed and the action audited. A manual classification may be corrected by classifying again. 422: not a valid classification (e.g. a date without cannot-receive); 404: no stay lists the message; 409: the message is not an answer the rule left unclassified.',
          parameters: [id('msgId', 'MsgId of the answer (dialogue message, topic 7322 = 7)')],
          requestBody: {
            required: true,
            ...json({
              type: 'object',
              required: ['answer'],
              additionalProperties: false,
              properties: {
                answer: { enum: ['can-receive', 'cannot-receive', 'offer-ready'], description: 'kan ta imot / kan ikke ta imot / tilbudet er klart' },
                date: { type: 'string', format: 'date', description: 'With cannot-receive: the date the municipality expects to be ready (YYYY-MM-DD)' },
              },
            }),
          },
          responses: { '200': ok('The stay after the classification', ref('Stay')), ...errors(400, 404, 409, 415, 422) },
        },
      },
      '/api/tasks': { get: { summary: 'Tasks, alarms and notifications', parameters: [query('open', { type: 'boolean' }, 'Only open (true) or done (false)')], responses: { '200': ok('Tasks', list('Task')), ...errors(400) } } },
      '/api/tasks/{id}/complete': { post: { summary: 'Mark a task done (operator)', parameters: [id('id', 'Task id')], responses: { '200': okBody, ...errors(404) } } },
      '/api/quarantine': { get: { summary: 'Quarantined incoming messages', responses: { '200': ok('Quarantine', list('Quarantine')) } } },
      '/api/quarantine/{id}/forward': {
        post: {
          summary: 'Forward to the right HER-id (operator)',
          parameters: [id('id', 'Quarantine id')],
          requestBody: { required: true, ...json({ type: 'object', required: ['toHerId'], properties: { toHerId: { type: 'integer', minimum: 1 } } }) },
          responses: { '200': okBody, ...errors(400, 404, 415) },
        },
      },
      '/api/quarantine/{id}/feedback': {
        post: {
          summary: 'Send Tilbakemelding om feil (DIALOG_AVVIK) to the sender (operator)',
          parameters: [id('id', 'Quarantine id')],
          requestBody: { required: true, ...json({ type: 'object', required: ['reason', 'text'], properties: { reason: { enum: ['1', '2', '9'], description: '8117' }, text: { type: 'string', maxLength: 2000 } } }) },
          responses: { '200': okBody, ...errors(400, 404, 415) },
        },
      },
      '/api/quarantine/{id}/handled': {
        post: {
          summary: 'Mark handled with a note (operator)',
          parameters: [id('id', 'Quarantine id')],
          requestBody: { required: true, ...json({ type: 'object', required: ['note'], properties: { note: { type: 'string', maxLength: 2000 } } }) },
          responses: { '200': okBody, ...errors(400, 404, 415) },
        },
      },
      '/api/downtime': { get: { summary: 'Downtime state per partner and the manual-handling log', responses: { '200': ok('Downtime', ref('Downtime')) } } },
      '/api/downtime/pdf': {
        get: {
          summary: 'The downtime list for manual handling as a PDF: partners, held and undeliverable messages with content, the manual log (audited)',
          responses: { '200': { description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, ...errors() },
        },
      },
      '/api/downtime/{herId}/manual-mode': {
        post: {
          summary: 'Switch manual mode for a partner (transport endpoint) on or off (operator); 409 for a service that follows its organisation',
          parameters: [{ name: 'herId', in: 'path', required: true, schema: { type: 'integer' } }],
          requestBody: { required: true, ...json({ type: 'object', required: ['on'], properties: { on: { type: 'boolean' } } }) },
          responses: { '200': okBody, ...errors(400, 409, 415) },
        },
      },
      '/api/downtime/notices': {
        post: {
          summary: 'Send a downtime notice with its expected duration to the partners and our meldingsansvarlig (operator)',
          description: 'planned: true for planned downtime; false gives the estimate for an ongoing one. expectedUntil absent: not known yet. One e-mail per partner; logged and audited.',
          requestBody: {
            required: true,
            ...json({
              type: 'object',
              required: ['partners', 'planned', 'from', 'reason'],
              properties: {
                partners: { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 500 },
                planned: { type: 'boolean' },
                from: { type: 'string', format: 'date-time' },
                expectedUntil: { type: 'string', format: 'date-time' },
                reason: { type: 'string', maxLength: 2000 },
              },
            }),
          },
          responses: {
            '201': ok('The addresses each notice went to (empty: no contact, or the e-mail failed)', {
              type: 'object',
              properties: { notices: { type: 'array', items: { type: 'object', properties: { partnerHerId: { type: 'integer' }, to: { type: 'array', items: { type: 'string' } } } } } },
            }),
            ...errors(400, 415),
          },
        },
      },
      '/api/downtime/manual-deliveries': {
        post: {
          summary: 'Record a non-electronic exchange (operator)',
          description:
            'direction "sent" (default): one of our messages delivered by hand; with msgId, that outgoing message is never sent electronically afterwards (unless already acknowledged) and its receipt expectation is closed as "manual". direction "received": a message from the partner received by hand (msgId: its reference, free text).',
          requestBody: {
            required: true,
            ...json({
              type: 'object',
              required: ['partnerHerId', 'channel', 'note'],
              properties: { partnerHerId: { type: 'integer' }, direction: { enum: ['sent', 'received'] }, msgId: { type: 'string' }, channel: { type: 'string' }, note: { type: 'string' } },
            }),
          },
          responses: { '201': okBody, ...errors(400, 404, 409, 415, 422) },
        },
      },
      '/health/live': { get: { summary: 'Liveness (any token; the monitor role is meant for probes; no data)', responses: { '200': ok('Alive', { type: 'object' }), '503': ok('Not alive', { type: 'object' }), ...errors() } } },
      '/health/ready': { get: { summary: 'Readiness with the check names (any token; no data)', responses: { '200': ok('Ready', { type: 'object' }), '503': ok('Not ready', { type: 'object' }), ...errors() } } },
      '/metrics': { get: { summary: 'Prometheus metrics, text exposition format (any token; scrape with the monitor role)', responses: { '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } }, ...errors() } } },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': ok('OpenAPI 3.1', { type: 'object' }) } } },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API token from `samhandling-app token create`' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: { error: { type: 'string' }, message: { type: 'string' }, issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' }, appRecCode: { type: 'string' } } } } },
        },
        SubmitMessage: {
          type: 'object',
          required: ['type', 'receiverHerId', 'patient', 'content'],
          additionalProperties: false,
          properties: {
            type: { type: 'string', examples: ['LOG_UTSKRIVNINGSKLAR'], description: 'MsgInfo/Type (8279)' },
            senderHerId: { type: 'integer' },
            receiverHerId: { type: 'integer' },
            copyTo: { type: 'array', items: { type: 'integer' } },
            patient: { type: 'object', description: '@samhandling/plo Person: familyName, givenName, idents [{ id, typeId }]' },
            content: { type: 'object', description: 'The content model of the type (@samhandling/plo)' },
            inReplyTo: { type: 'string' },
            idempotencyKey: { type: 'string', maxLength: 200 },
          },
        },
        Receipt: {
          type: 'object',
          properties: {
            state: { enum: ['awaiting', 'ok', 'rejected', 'partial', 'overdue', 'escalated', 'manual', 'not-expected'] },
            deadline: { type: 'string', format: 'date-time' },
            status: { enum: ['1', '2', '3'] },
            errors: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, text: { type: 'string' } } } },
            history: { type: 'array', items: { type: 'object', properties: { state: { type: 'string' }, at: { type: 'string', format: 'date-time' } } } },
          },
        },
        OutgoingMessage: {
          type: 'object',
          properties: {
            msgId: { type: 'string' },
            type: { type: 'string' },
            senderHerId: { type: 'integer' },
            receiverHerId: { type: 'integer' },
            createdAt: { type: 'string', format: 'date-time' },
            transport: { type: 'object', properties: { state: { enum: ['queued', 'sending', 'sent', 'acknowledged', 'failed', 'dead-letter', 'held'] }, attempts: { type: 'integer' }, lastError: { type: 'string' }, nextAttemptAt: { type: 'string' } } },
            receipt: ref('Receipt'),
            stayKey: { type: 'string' },
          },
        },
        IncomingMessage: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            msgId: { type: 'string' },
            type: { type: 'string' },
            senderHerId: { type: 'integer' },
            receiverHerId: { type: 'integer' },
            receivedAt: { type: 'string', format: 'date-time' },
            state: { enum: ['received', 'delivered', 'rejected', 'quarantined', 'duplicate', 'receipt'] },
            appRec: { type: 'object', properties: { status: { enum: ['1', '2', '3'] }, errors: { type: 'array', items: { type: 'string' } } } },
            stayKey: { type: 'string' },
          },
        },
        MessageDetail: { type: 'object', properties: { direction: { enum: ['outgoing', 'incoming'] }, summary: { type: 'object' }, parsed: {}, xml: { type: 'string' } } },
        InboxEntry: {
          type: 'object',
          properties: { id: { type: 'string' }, msgId: { type: 'string' }, type: { type: 'string' }, senderHerId: { type: 'integer' }, receivedAt: { type: 'string' }, acknowledged: { type: 'boolean' }, xml: { type: 'string' } },
        },
        Stay: {
          type: 'object',
          properties: {
            key: { type: 'string' },
            procedure: {
              type: 'object',
              description:
                'Procedure summary: state, deadlines, periods, paymentDays, amountNOK, effects, issues, and answers (each answer to LOG_UTSKRIVNINGSKLAR: msgId, answer, date, classifiedBy "rule" or "manual", by, at)',
            },
            messages: { type: 'array', items: { type: 'object', properties: { msgId: { type: 'string' }, type: { type: 'string' }, at: { type: 'string' }, direction: { enum: ['outgoing', 'incoming'] } } } },
          },
        },
        Task: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            kind: { enum: ['task', 'alarm', 'notification'] },
            title: { type: 'string' },
            detail: { type: 'string' },
            stayKey: { type: 'string' },
            msgId: { type: 'string' },
            createdAt: { type: 'string' },
            due: { type: 'string' },
            done: { type: 'boolean' },
          },
        },
        Quarantine: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            incomingId: { type: 'string' },
            reason: { type: 'string' },
            code: { type: 'string' },
            createdAt: { type: 'string' },
            state: { enum: ['open', 'forwarded', 'feedback-sent', 'handled'] },
            actions: { type: 'array', items: { type: 'object' } },
          },
        },
        Downtime: {
          type: 'object',
          properties: {
            partners: {
              type: 'array',
              description: 'Partners the engine tracks (transport endpoints): state, held messages, manual mode',
              items: {
                type: 'object',
                properties: {
                  herId: { type: 'integer' },
                  name: { type: 'string' },
                  state: { enum: ['up', 'suspected', 'down'] },
                  since: { type: 'string', format: 'date-time' },
                  heldMessages: { type: 'integer' },
                  manualMode: { type: 'boolean', description: 'An operator has the partner in manual mode: outgoing messages are held for manual handling (absent: false)' },
                },
              },
            },
            manualLog: { type: 'array', items: { type: 'object' } },
            register: {
              type: 'array',
              description: 'Every partner in the address register; manual mode is switched per transport endpoint (endpointHerId)',
              items: { type: 'object', properties: { herId: { type: 'integer' }, name: { type: 'string' }, kind: { type: 'string' }, endpointHerId: { type: 'integer' }, manualModeSwitchable: { type: 'boolean' } } },
            },
          },
        },
      },
    },
  };
}
