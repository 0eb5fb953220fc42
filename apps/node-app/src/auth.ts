/**
 * Authentication and authorisation: per-client API tokens stored as SHA-256 hashes (the tokens are
 * 256-bit random values, so a plain hash is enough; no password stretching needed), three roles,
 * and UI sessions (HttpOnly cookie + CSRF token) opened by logging in with a token.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor } from '@samhandling/messaging';
import { AppError, type ConfigIssue } from './errors';

/**
 * The roles a client can hold. `monitor` is for probes and Prometheus: health, readiness and
 * metrics only, no patient data.
 */
export type Role = 'epj-system' | 'operator' | 'read-only' | 'monitor';

/** Every role, in the order the docs list them. */
export const ROLES: readonly Role[] = ['epj-system', 'operator', 'read-only', 'monitor'];

/** What a request may do. */
export type Permission =
  /** Read messages, stays, tasks, quarantine, downtime (each read of patient data is audited). */
  | 'read'
  /** Submit a message. */
  | 'submit'
  /** Poll and acknowledge the EPJ inbox. */
  | 'inbox'
  /** Operator actions: quarantine, resend, manual mode, manual deliveries, tasks. */
  | 'operate'
  /** Log in to the web UI. */
  | 'ui'
  /** Health, readiness and metrics (no patient data); every role holds it. */
  | 'monitor';

const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  'epj-system': ['read', 'submit', 'inbox', 'monitor'],
  operator: ['read', 'submit', 'operate', 'ui', 'monitor'],
  'read-only': ['read', 'ui', 'monitor'],
  monitor: ['monitor'],
};

/** True when `role` holds `permission`. */
export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** One line of the token file. */
export interface TokenEntry {
  readonly clientId: string;
  readonly role: Role;
  /** The SHA-256 of the token (32 bytes). */
  readonly hash: Buffer;
}

/** An authenticated client. */
export interface Principal {
  readonly clientId: string;
  readonly role: Role;
}

const TOKEN_PREFIX = 'shapp_';

/** The `sha256:HEX` hash line value of a token. */
export function hashToken(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/** A new random API token (256 bits) with its token-file line. */
export function createToken(clientId: string, role: Role): { readonly token: string; readonly line: string } {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(clientId)) throw new TypeError('clientId: letters, digits, dot, dash and underscore, at most 64 characters');
  if (!ROLES.includes(role)) throw new TypeError(`role must be one of ${ROLES.join(', ')}`);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, line: `${clientId} ${role} ${hashToken(token)}` };
}

/**
 * Parses the token file: one `clientId role sha256:HEX` per line; `#` comments and blank lines
 * ignored.
 *
 * @throws AppError `ERR_APP_TOKENS_INVALID` listing each bad line (never its content).
 */
export function parseTokenFile(text: string): TokenEntry[] {
  const issues: ConfigIssue[] = [];
  const out: TokenEntry[] = [];
  const ids = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const path = `line ${String(i + 1)}`;
    const parts = line.split(/\s+/);
    const [clientId, role, hash] = parts;
    if (parts.length !== 3 || clientId === undefined || role === undefined || hash === undefined) {
      issues.push({ path, message: 'must be "clientId role sha256:HEX"' });
      return;
    }
    if (!ROLES.includes(role as Role)) issues.push({ path, message: `role must be one of ${ROLES.join(', ')}` });
    const m = /^sha256:([0-9a-f]{64})$/.exec(hash);
    if (m?.[1] === undefined) issues.push({ path, message: 'hash must be sha256: followed by 64 lowercase hex digits' });
    if (ids.has(clientId)) issues.push({ path, message: `client id ${clientId} appears twice` });
    ids.add(clientId);
    if (m?.[1] !== undefined && ROLES.includes(role as Role)) out.push({ clientId, role: role as Role, hash: Buffer.from(m[1], 'hex') });
  });
  if (issues.length > 0) {
    throw new AppError('ERR_APP_TOKENS_INVALID', `token file: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  return out;
}

/** Finds the client holding `token`; compares every entry in constant time. */
export function authenticateToken(entries: readonly TokenEntry[], token: string): Principal | undefined {
  if (token.length === 0 || token.length > 512) return undefined;
  const presented = createHash('sha256').update(token, 'utf8').digest();
  let found: TokenEntry | undefined;
  for (const e of entries) if (timingSafeEqual(e.hash, presented) && found === undefined) found = e;
  return found === undefined ? undefined : { clientId: found.clientId, role: found.role };
}

/**
 * The engine's audit actor for a principal. A `monitor` client never reaches the engine's audited
 * calls (it holds no permission that does); it is recorded as read-only should it ever do.
 */
export function actorOf(p: Principal): Actor {
  return { kind: p.role === 'monitor' ? 'read-only' : p.role, id: p.clientId };
}

/** A UI session. */
export interface Session {
  readonly id: string;
  readonly principal: Principal;
  readonly csrf: string;
  readonly expiresAt: number;
}

/** In-memory UI sessions (an app restart logs everyone out). */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => Date,
  ) {}

  /** Opens a session; returns it (its id goes into the cookie, its csrf into forms). */
  open(principal: Principal): Session {
    this.#sweep();
    const s: Session = { id: randomBytes(32).toString('base64url'), principal, csrf: randomBytes(24).toString('base64url'), expiresAt: this.now().getTime() + this.ttlMs };
    this.#sessions.set(s.id, s);
    return s;
  }

  get(id: string | undefined): Session | undefined {
    if (id === undefined) return undefined;
    const s = this.#sessions.get(id);
    if (s === undefined) return undefined;
    if (s.expiresAt <= this.now().getTime()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return s;
  }

  close(id: string): void {
    this.#sessions.delete(id);
  }

  #sweep(): void {
    const t = this.now().getTime();
    for (const [k, s] of this.#sessions) if (s.expiresAt <= t) this.#sessions.delete(k);
  }
}

/** Constant-time comparison of two strings (e.g. CSRF tokens). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
