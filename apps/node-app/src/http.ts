/**
 * A small router over node:http with explicit input limits: body size, JSON nesting depth,
 * content types. No framework.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Raised for a request the app refuses; becomes a JSON (or HTML) error response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly issues?: readonly unknown[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** One request as handlers see it. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly url: URL;
  /** The route template that matched, e.g. `/api/messages/outgoing/{msgId}` (safe to log). */
  readonly route: string;
  readonly params: Readonly<Record<string, string>>;
}

/** A route handler. */
export type Handler = (ctx: RequestContext) => Promise<void> | void;

interface Route {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler;
}

/** Method + path-template router; `{name}` segments match one path segment. */
export class Router {
  readonly #routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    const names: string[] = [];
    const pattern = new RegExp(
      `^${template
        .split('/')
        .map((seg) => {
          const m = /^\{([A-Za-z]+)\}$/.exec(seg);
          if (m?.[1] !== undefined) {
            names.push(m[1]);
            return '([^/]+)';
          }
          return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/')}$`,
    );
    this.#routes.push({ method, template, pattern, names, handler });
    return this;
  }

  /** The matching route, or `allowed` methods for the path (405), or undefined (404). */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
    const allowed: string[] = [];
    for (const r of this.#routes) {
      const m = r.pattern.exec(path);
      if (m === null) continue;
      if (r.method !== method && !(method === 'HEAD' && r.method === 'GET')) {
        allowed.push(r.method);
        continue;
      }
      const params: Record<string, string> = {};
      let ok = true;
      r.names.forEach((n, i) => {
        try {
          params[n] = decodeURIComponent(m[i + 1] ?? '');
        } catch {
          ok = false;
        }
      });
      if (!ok) throw new HttpError(400, 'bad_request', 'invalid percent-encoding in the path');
      return { route: r, params };
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

/** Reads the body up to `limit` bytes; 413 beyond it. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new HttpError(413, 'payload_too_large', `the request body exceeds ${String(limit)} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new HttpError(413, 'payload_too_large', `the request body exceeds ${String(limit)} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Nesting depth of a parsed JSON value (a scalar is 0). */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v === 'object' && v !== null) {
      const nd = d + 1;
      if (nd > max) max = nd;
      for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, nd]);
    }
  }
  return max;
}

/** Reads a JSON body: content type, size and depth checked. */
export async function readJson(req: IncomingMessage, limits: { readonly bodyLimitBytes: number; readonly maxJsonDepth: number }): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, 'unsupported_media_type', 'send application/json');
  const body = await readBody(req, limits.bodyLimitBytes);
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  }
  if (jsonDepth(value) > limits.maxJsonDepth) throw new HttpError(400, 'json_too_deep', `JSON nesting deeper than ${String(limits.maxJsonDepth)}`);
  return value;
}

/** Reads an `application/x-www-form-urlencoded` body (UI forms). */
export async function readForm(req: IncomingMessage, limit: number): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new HttpError(415, 'unsupported_media_type', 'send a form');
  const body = await readBody(req, limit);
  return new URLSearchParams(body.toString('utf8'));
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  // same-origin, not no-referrer: under no-referrer browsers send `Origin: null` on form POSTs, which the CSRF origin check refuses.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** Sends a JSON response. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Sends text (HTML, Prometheus, …). */
export function sendText(res: ServerResponse, status: number, type: string, body: string, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    ...(type.startsWith('text/html')
      ? { 'content-security-policy': "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'", 'x-frame-options': 'DENY' }
      : {}),
    ...headers,
  });
  res.end(body);
}

/** Sends a binary document (e.g. a PDF) inline, with a safe file name. */
export function sendBinary(res: ServerResponse, status: number, type: string, body: Uint8Array, fileName: string): void {
  const safe = fileName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': body.byteLength, 'content-disposition': `inline; filename="${safe}"` });
  res.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
}

/** Redirects (303 See Other after a form post). */
export function redirect(res: ServerResponse, location: string, headers: Readonly<Record<string, string | string[]>> = {}): void {
  res.writeHead(303, { ...SECURITY_HEADERS, location, ...headers });
  res.end();
}

/** Parses the Cookie header. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (header === undefined) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      /* ignore a malformed cookie */
    }
  }
  return out;
}
