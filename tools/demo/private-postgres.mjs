// A private, throw-away PostgreSQL cluster for the loopback demo (`npm start -- --postgres`), the
// same approach as the store-postgres test harness (packages/store-postgres/test/pg-harness.ts):
// find the server binaries (`pg_config --bindir`, else the newest /usr/lib/postgresql/<n>/bin),
// `initdb` in a temporary folder, start the server on a free loopback port with its socket in that
// folder, create the databases, and remove everything on `stop()`. As root the server runs as the
// `postgres` user (PostgreSQL refuses to run as root). Trust authentication on 127.0.0.1 only and
// fsync off: it is demo data, not a production server.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

function findBinaries() {
  const candidates = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // no pg_config: Debian's layout
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const v of readdirSync(debian)
      .filter((d) => /^\d+$/.test(d))
      .sort((a, b) => Number(b) - Number(a)))
      candidates.push(join(debian, v, 'bin'));
  }
  for (const dir of candidates) {
    const bin = (name) => join(dir, name);
    if (['initdb', 'pg_ctl', 'postgres', 'createdb'].every((n) => existsSync(bin(n)))) return { dir, initdb: bin('initdb'), pgCtl: bin('pg_ctl'), createdb: bin('createdb') };
  }
  return undefined;
}

function postgresUser() {
  const u = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (u.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Why a private cluster cannot be started here, or undefined when it can. */
export function privatePostgresUnavailable() {
  if (findBinaries() === undefined) return 'PostgreSQL server binaries not found (Debian: apt-get install postgresql)';
  if (isRoot()) {
    if (postgresUser() === undefined) return 'running as root, but there is no `postgres` user to run the server';
    if (spawnSync('runuser', ['--help'], { stdio: 'ignore' }).status !== 0) return 'running as root, but `runuser` is missing';
  }
  return undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

const tail = (file) => {
  try {
    return readFileSync(file, 'utf8').slice(-4000);
  } catch {
    return '(no log)';
  }
};

/**
 * Starts a private cluster with the given databases.
 * @param {{ databases: string[] }} options
 * @returns {Promise<{ port: number, dir: string, version: string, url(db: string): string, stop(): void }>}
 */
export async function startPrivatePostgres({ databases }) {
  const reason = privatePostgresUnavailable();
  if (reason !== undefined) throw new Error(`cannot start a private PostgreSQL: ${reason}`);
  const bin = findBinaries();
  const owner = isRoot() ? postgresUser() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'samhandling-demo-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  if (owner !== undefined) chownSync(dir, owner.uid, owner.gid);
  const as = (file, args) => (owner === undefined ? [file, args] : ['runuser', ['-u', 'postgres', '--', file, ...args]]);
  const run = (file, args, timeout) => {
    const [cmd, argv] = as(file, args);
    const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout, cwd: dir });
    if (r.status !== 0) throw new Error(`${basename(file)} failed (status ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${r.stdout}\n${r.stderr}\n--- server log ---\n${tail(log)}`);
    return r.stdout;
  };
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (existsSync(join(data, 'postmaster.pid'))) {
      const [cmd, argv] = as(bin.pgCtl, ['stop', '-D', data, '-m', 'fast', '-w', '-t', '30']);
      spawnSync(cmd, argv, { stdio: 'ignore', timeout: 40_000 });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Last line of defence (e.g. an uncaught error): never leave a server behind.
  process.once('exit', stop);

  let port = 0;
  try {
    run(bin.initdb, ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], 120_000);
    let lastError;
    for (let attempt = 0; attempt < 3; attempt++) {
      port = await freePort();
      const opts = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses='127.0.0.1'", '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'].join(' ');
      try {
        run(bin.pgCtl, ['start', '-D', data, '-l', log, '-w', '-t', '60', '-o', opts], 90_000);
        lastError = undefined;
        break;
      } catch (err) {
        lastError = err;
      }
    }
    if (lastError !== undefined) throw lastError;
    for (const db of databases) {
      if (!/^[a-z][a-z0-9_]*$/.test(db)) throw new TypeError(`bad database name ${db}`);
      run(bin.createdb, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', db], 30_000);
    }
  } catch (err) {
    stop();
    process.removeListener('exit', stop);
    throw err;
  }
  const version = (() => {
    try {
      return readFileSync(join(data, 'PG_VERSION'), 'utf8').trim();
    } catch {
      return '?';
    }
  })();
  return {
    port,
    dir,
    version,
    url: (db) => `postgresql://postgres@127.0.0.1:${port}/${db}`,
    stop() {
      stop();
      process.removeListener('exit', stop);
    },
  };
}
