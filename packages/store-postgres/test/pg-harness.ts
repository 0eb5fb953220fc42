/**
 * Test harness: a throw-away PostgreSQL server. Finds the binaries (`pg_config --bindir`, else the
 * newest /usr/lib/postgresql/<n>/bin), runs `initdb` in a temporary folder, starts the server on a
 * free loopback port with its socket in that folder, and removes everything on `stop()`. As root
 * the server runs as the `postgres` user (PostgreSQL refuses to run as root); otherwise as the
 * current user. Fsync is off: it is a test server.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** A running test server. */
export interface PgTestServer {
  readonly port: number;
  /** Connection URL of database `name` (default `postgres`). */
  url(name?: string): string;
  /** Creates a new empty database and returns its name. */
  createDatabase(): Promise<string>;
  /** Drops a database, terminating its connections. */
  dropDatabase(name: string): Promise<void>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

interface Binaries {
  readonly dir: string;
  readonly initdb: string;
  readonly pgCtl: string;
}

function findBinaries(): Binaries | undefined {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // pg_config missing: look in Debian's layout
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(path.join(debian, v, 'bin'));
  }
  for (const dir of candidates) {
    const initdb = path.join(dir, 'initdb');
    const pgCtl = path.join(dir, 'pg_ctl');
    if (existsSync(initdb) && existsSync(pgCtl) && existsSync(path.join(dir, 'postgres'))) return { dir, initdb, pgCtl };
  }
  return undefined;
}

function postgresUser(): { uid: number; gid: number } | undefined {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** Why a test server cannot be started here, or undefined when it can. Synchronous (for `describe.skip`). */
export function pgUnavailableReason(): string | undefined {
  if (process.env['SAMHANDLING_SKIP_PG'] === '1') return 'SAMHANDLING_SKIP_PG=1';
  if (findBinaries() === undefined) return 'PostgreSQL server binaries not found (install the Debian package `postgresql`)';
  if (isRoot()) {
    if (postgresUser() === undefined) return 'running as root but there is no `postgres` user to run the server';
    if (spawnSync('runuser', ['--help'], { stdio: 'ignore' }).status !== 0) return 'running as root but `runuser` is missing';
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function tail(file: string, bytes = 4000): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.slice(-bytes);
  } catch {
    return '(no log)';
  }
}

/** Starts a throw-away server. Call `stop()` in `afterAll`. */
export async function startPgServer(): Promise<PgTestServer> {
  const reason = pgUnavailableReason();
  if (reason !== undefined) throw new Error(`cannot start PostgreSQL: ${reason}`);
  const bin = findBinaries()!;
  const owner = isRoot() ? postgresUser()! : undefined;
  const root = mkdtempSync(path.join(tmpdir(), 'samhandling-pg-'));
  const data = path.join(root, 'data');
  const log = path.join(root, 'server.log');
  if (owner !== undefined) chownSync(root, owner.uid, owner.gid);

  const run = (file: string, args: string[], timeout: number): void => {
    const [cmd, argv] = owner === undefined ? [file, args] : ['runuser', ['-u', 'postgres', '--', file, ...args]];
    const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout, cwd: root });
    if (r.status !== 0) {
      throw new Error(`${path.basename(file)} failed (status ${String(r.status)}${r.error ? `, ${r.error.message}` : ''}):\n${r.stdout}\n${r.stderr}\n--- server log ---\n${tail(log)}`);
    }
  };
  const stopNow = (): void => {
    if (!existsSync(path.join(data, 'postmaster.pid'))) return;
    const [cmd, argv] = owner === undefined ? [bin.pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '30']] : ['runuser', ['-u', 'postgres', '--', bin.pgCtl, 'stop', '-D', data, '-m', 'immediate', '-w', '-t', '30']];
    spawnSync(cmd, argv, { stdio: 'ignore', timeout: 40_000 });
  };
  const onExit = (): void => {
    stopNow();
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  let port = 0;
  try {
    run(bin.initdb, ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], 120_000);
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      port = await freePort();
      const options = [`-p ${port}`, `-k ${root}`, "-c listen_addresses='127.0.0.1'", '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=200'].join(' ');
      try {
        run(bin.pgCtl, ['start', '-D', data, '-l', log, '-w', '-t', '60', '-o', options], 90_000);
        lastError = undefined;
        break;
      } catch (err) {
        lastError = err;
        stopNow();
      }
    }
    if (lastError !== undefined) throw lastError;
  } catch (err) {
    onExit();
    process.removeListener('exit', onExit);
    throw err;
  }

  const url = (name = 'postgres'): string => `postgresql://postgres@127.0.0.1:${port}/${name}`;
  const admin = new pg.Pool({ connectionString: url(), max: 2 });
  admin.on('error', () => undefined);
  // readiness through TCP, not only the socket pg_ctl waited for
  for (let i = 0; ; i++) {
    try {
      await admin.query('SELECT 1');
      break;
    } catch (err) {
      if (i >= 50) {
        await admin.end().catch(() => undefined);
        onExit();
        process.removeListener('exit', onExit);
        throw new Error(`PostgreSQL did not accept TCP connections on port ${port}: ${String(err)}\n--- server log ---\n${tail(log)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  let counter = 0;
  return {
    port,
    url,
    async createDatabase() {
      const name = `t${process.pid}_${++counter}`;
      await admin.query(`CREATE DATABASE ${name}`);
      return name;
    },
    async dropDatabase(name) {
      if (!/^[a-z0-9_]+$/.test(name)) throw new TypeError('bad database name');
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
    async stop() {
      await admin.end().catch(() => undefined);
      onExit();
      process.removeListener('exit', onExit);
    },
  };
}

/**
 * A private server for one test file: why PostgreSQL is unavailable here (undefined when it is;
 * with `what`, logged as `<what> skipped: <reason>` for the skip summary of `npm test`), and, when
 * it is available, a server started before the file's tests and stopped after them.
 */
export function privatePgServer(what?: string): { readonly skip: string | undefined; server(): PgTestServer } {
  const skip = pgUnavailableReason();
  if (skip !== undefined && what !== undefined) console.log(`${what} skipped: ${skip}`);
  let server: PgTestServer | undefined;
  if (skip === undefined) {
    beforeAll(async () => {
      server = await startPgServer();
    }, 180_000);
    afterAll(async () => {
      await server?.stop();
    }, 60_000);
  }
  return {
    skip,
    server: () => {
      if (server === undefined) throw new Error('the PostgreSQL test server is not running');
      return server;
    },
  };
}
