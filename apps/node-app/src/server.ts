/**
 * The app's HTTP server: REST API, OpenAPI document, health, metrics and the web UI over one
 * `MessagingNode`, with token authentication, input limits and request logging without patient
 * data (route templates, not paths).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessagingNode } from '@samhandling/messaging';
import { registerApi } from './api';
import { authenticateToken, can, SessionStore, type Principal, type TokenEntry } from './auth';
import type { AppConfig } from './config';
import { HttpError, Router, sendJson, sendText, type RequestContext } from './http';
import type { Logger } from './logger';
import { AppCounters, renderMetrics } from './metrics';
import { openApiDocument } from './openapi';
import { html, page } from './ui/html';
import { registerPartners } from './register';
import { registerUi } from './ui/routes';
import { WebhookDispatcher, type ResolvedWebhook } from './webhooks';

/** The app's version string (OpenAPI info.version). */
export const APP_VERSION = '0.1.0';

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  readonly config: AppConfig;
  readonly node: MessagingNode;
  /** Parsed token file (re-read by the caller on SIGHUP through `setTokens`). */
  readonly tokens: readonly TokenEntry[];
  readonly webhooks?: readonly ResolvedWebhook[];
  readonly logger: Logger;
  readonly clock?: () => Date;
  /** Rescan interval of the webhook dispatcher in ms (default 30 000; 0 disables the timer). */
  readonly webhookRescanMs?: number;
  /** Webhook retry base delay in ms (tests use small values). */
  readonly webhookBaseDelayMs?: number;
}

/** A running (or ready to run) app. */
export interface App {
  readonly server: Server;
  readonly counters: AppCounters;
  readonly webhooks: WebhookDispatcher;
  /** Starts the engine and listens; resolves with the bound URL. */
  start(): Promise<string>;
  /** Stops listening, the webhook dispatcher and the engine. */
  stop(): Promise<void>;
  /** Replaces the API tokens (token file re-read). */
  setTokens(tokens: readonly TokenEntry[]): void;
}

/** Builds the app (nothing listens until `start`). */
export function createApp(options: CreateAppOptions): App {
  const { config, node, logger } = options;
  const clock = options.clock ?? (() => new Date());
  let tokens = options.tokens;
  const counters = new AppCounters();
  const sessions = new SessionStore(config.auth.sessionTtlMinutes * 60_000, clock);
  const router = new Router();
  const webhooks = new WebhookDispatcher({
    node,
    webhooks: options.webhooks ?? [],
    logger,
    counters,
    clock,
    ...(options.webhookBaseDelayMs === undefined ? {} : { baseDelayMs: options.webhookBaseDelayMs }),
  });

  const bearer = (ctx: RequestContext): Principal => {
    const h = ctx.req.headers.authorization;
    const m = h === undefined ? null : /^Bearer\s+(\S+)$/i.exec(h);
    const p = m?.[1] === undefined ? undefined : authenticateToken(tokens, m[1]);
    if (p === undefined) throw new HttpError(401, 'unauthorized', 'send Authorization: Bearer <token>');
    return p;
  };
  const limits = { bodyLimitBytes: config.http.bodyLimitBytes, maxJsonDepth: config.http.maxJsonDepth };

  const ours = new Set(config.herIds.all);
  registerApi(router, { node, logger, limits, authenticate: bearer, orgName: config.name, clock, registerPartners: () => registerPartners(config.addressRegisterFile, ours) });

  router.add('GET', '/openapi.json', (ctx) => {
    bearer(ctx);
    sendJson(ctx.res, 200, openApiDocument(config.name, APP_VERSION));
  });
  // Every endpoint is authenticated, health included (issue 7; ADR 0012): any role may probe, and
  // the `monitor` role exists for probes and Prometheus (no patient data).
  const monitor = (ctx: RequestContext): void => {
    const p = bearer(ctx);
    if (!can(p.role, 'monitor')) throw new HttpError(403, 'forbidden', 'not allowed');
  };
  router.add('GET', '/health/live', async (ctx) => {
    monitor(ctx);
    const h = await node.health().catch(() => ({ live: false, ready: false, checks: {} }));
    sendJson(ctx.res, h.live ? 200 : 503, { live: h.live });
  });
  router.add('GET', '/health/ready', async (ctx) => {
    monitor(ctx);
    const h = await node.health().catch(() => ({ live: false, ready: false, checks: {} }));
    const checks = Object.fromEntries(Object.entries(h.checks).map(([k, v]) => [k, v.ok]));
    sendJson(ctx.res, h.ready ? 200 : 503, { ready: h.ready, checks });
  });
  router.add('GET', '/metrics', async (ctx) => {
    monitor(ctx);
    sendText(ctx.res, 200, 'text/plain; version=0.0.4; charset=utf-8', renderMetrics(await node.metrics(), counters));
  });

  registerUi(router, { node, config, sessions, tokens: () => tokens, clock, logger });

  const server = createServer({ headersTimeout: 20_000, requestTimeout: 60_000, maxHeaderSize: 16 * 1024 }, (req, res) => {
    const started = process.hrtime.bigint();
    const method = req.method ?? 'GET';
    let route = '(unmatched)';
    const done = (): void => {
      counters.countRequest(method, route, res.statusCode);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info('http request', { method, route, status: res.statusCode, ms: Math.round(ms * 10) / 10 });
    };
    res.on('finish', done);
    void (async () => {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://app.invalid');
      } catch {
        throw new HttpError(400, 'bad_request', 'invalid URL');
      }
      const m = router.match(method, url.pathname);
      if (m === undefined) throw new HttpError(404, 'not_found', 'no such resource');
      if ('allowed' in m) {
        res.setHeader('allow', m.allowed.join(', '));
        throw new HttpError(405, 'method_not_allowed', 'method not allowed');
      }
      route = m.route.template;
      await m.route.handler({ req, res, method, url, route, params: m.params });
    })().catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const isApi = !(req.headers.accept ?? '').includes('text/html') || (req.url ?? '').startsWith('/api/');
      if (err instanceof HttpError) {
        if (isApi) sendJson(res, err.status, { error: err.error, message: err.message, ...(err.issues === undefined ? {} : { issues: err.issues }) });
        else sendText(res, err.status, 'text/html; charset=utf-8', page({ title: err.status === 404 ? 'Finnes ikke' : 'Feil', orgName: config.name, role: config.role, current: '' }, html`<p class="error" role="alert">${err.message}</p><p><a href="/">Til oversikten</a></p>`));
        return;
      }
      const code = typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
      // Engine errors for unknown ids surface as 404; everything else is a 500 without details.
      if (code !== undefined && /NOT_FOUND|UNKNOWN/.test(code)) {
        sendJson(res, 404, { error: 'not_found', message: 'not found', code });
        return;
      }
      // An action that the resource's state does not allow (e.g. resending an acknowledged message).
      if (code !== undefined && /INVALID_STATE/.test(code)) {
        sendJson(res, 409, { error: 'conflict', message: err instanceof Error ? err.message : 'not allowed in this state', code });
        return;
      }
      logger.error('request failed', { route, method, code: code ?? (err instanceof Error ? err.name : 'unknown') });
      sendJson(res, 500, { error: 'internal', message: 'internal error' });
    });
  });

  let rescan: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  return {
    server,
    counters,
    webhooks,
    setTokens(t) {
      tokens = t;
    },
    async start() {
      await node.start();
      unsubscribe = node.onEvent((e) => {
        if (e.type === 'incoming-delivered') void webhooks.deliverPending().catch((err: unknown) => logger.error('webhook pass failed', { error: err instanceof Error ? err.name : 'unknown' }));
        if ('msgId' in e) logger.info(`engine event ${e.type}`, { msgId: e.msgId, ...('state' in e ? { state: e.state } : {}) });
        else logger.info(`engine event ${e.type}`);
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.http.port, config.http.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const rescanMs = options.webhookRescanMs ?? 30_000;
      if ((options.webhooks ?? []).length > 0) {
        void webhooks.deliverPending().catch(() => undefined);
        if (rescanMs > 0) {
          rescan = setInterval(() => void webhooks.deliverPending().catch(() => undefined), rescanMs);
          rescan.unref();
        }
      }
      const a = server.address() as AddressInfo;
      const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      const url = `http://${host}:${String(a.port)}`;
      logger.info('app listening', { url, role: config.role });
      return url;
    },
    async stop() {
      if (rescan !== undefined) clearInterval(rescan);
      unsubscribe?.();
      webhooks.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await node.stop();
    },
  };
}
