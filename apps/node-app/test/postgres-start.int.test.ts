/**
 * `npm start -- --postgres` end to end: runs `tools/demo/apps.mjs --postgres` as a user would
 * (without database URLs, so it starts its own private PostgreSQL cluster), waits for the demo
 * summary, checks that both apps are ready and that the seeded stay is visible through both REST
 * APIs, then stops it with SIGTERM and checks that the apps and the PostgreSQL server are gone.
 *
 * Needs the PostgreSQL server binaries (Debian's `postgresql`) and the built apps: nx builds the
 * node-app and both apps before this project's tests (package.json `nx.targets.test.dependsOn`);
 * when running jest by hand, run `npx tsup` here first (`apps/{sthf,kommune}/dist/main.cjs` are
 * built here when missing). Skips with a message when PostgreSQL is not installed or
 * SAMHANDLING_SKIP_PG=1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, until } from './real-pair';

const ROOT = join(__dirname, '..', '..', '..');

function pgMissing(): string | undefined {
  if (process.env['SAMHANDLING_SKIP_PG'] === '1') return 'SAMHANDLING_SKIP_PG=1';
  const debian = '/usr/lib/postgresql';
  const found = existsSync(debian) && readdirSync(debian).some((v) => existsSync(join(debian, v, 'bin', 'initdb')));
  if (!found && spawnSync('pg_config', ['--bindir'], { stdio: 'ignore' }).status !== 0) return 'PostgreSQL server binaries not found (install the Debian package `postgresql`)';
  return undefined;
}

const missing = pgMissing();
if (missing !== undefined) console.log(`postgres-start.int.test: skipped: ${missing}`);
const suite = missing === undefined ? describe : describe.skip;

interface DemoFile {
  readonly store: string;
  readonly sthf: { readonly url: string; readonly tokens: Record<string, string> };
  readonly kommune: { readonly url: string; readonly tokens: Record<string, string> };
}

let child: ChildProcess | undefined;
let dir: string;
let output = '';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

beforeAll(() => {
  if (missing !== undefined) return;
  for (const app of ['sthf', 'kommune']) {
    const folder = join(ROOT, 'apps', app);
    if (!existsSync(join(folder, 'dist', 'main.cjs'))) {
      const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsup'), { cwd: folder, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`building apps/${app} failed: ${r.stderr}`);
    }
  }
  dir = mkdtempSync(join(tmpdir(), 'samhandling-start-pg-'));
});

afterAll(async () => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child?.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}, 60_000);

suite('npm start -- --postgres (private PostgreSQL cluster)', () => {
  test('both apps answer, the seeded stay is visible, and stopping removes the cluster', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['KOMMUNE_DATABASE_URL'];
    delete env['STHF_DATABASE_URL'];
    const proc = spawn(process.execPath, [join(ROOT, 'tools', 'demo', 'apps.mjs'), '--postgres', '--dir', dir], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (b: Buffer) => (output += b.toString('utf8')));
    proc.stderr?.on('data', (b: Buffer) => (output += b.toString('utf8')));
    const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));

    await until(
      'the demo summary',
      async () => {
        if (proc.exitCode !== null) throw new Error(`apps.mjs exited with ${String(proc.exitCode)}:\n${output}`);
        return output.includes('Stop with Ctrl-C');
      },
      240_000,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n--- output ---\n${output}`);
    });
    expect(output).toMatch(/private PostgreSQL \d+ on 127\.0\.0\.1:\d+/);
    expect(output).not.toMatch(/seeding .* failed/);
    const pgPort = Number(/private PostgreSQL \d+ on 127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
    const demo = JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8')) as DemoFile;
    expect(demo.store).toBe('postgres');
    // The configurations name PostgreSQL (no SQLite files).
    for (const role of ['sthf', 'kommune']) expect(readFileSync(join(dir, `${role}.yaml`), 'utf8')).toMatch(/store:\n\s+postgres:/);

    for (const app of [demo.sthf, demo.kommune]) {
      expect((await api(app.url, 'GET', '/health/ready', undefined)).status).toBe(401);
      const ready = await api(app.url, 'GET', '/health/ready', app.tokens['monitor']);
      expect(ready.status).toBe(200);
      expect(ready.json['ready']).toBe(true);
      const ui = await fetch(`${app.url}/login`);
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('Logg inn');
    }

    // The seeded stay: admitted and utskrivningsklar at the hospital, the same stay at the municipality.
    for (const app of [demo.sthf, demo.kommune]) {
      const stay = await until(
        `the seeded stay at ${app.url}`,
        async () => {
          const r = await api(app.url, 'GET', '/api/stays', app.tokens['readOnly']);
          const s = r.json.items?.[0] as { procedure?: { phase?: string }; messages?: unknown[] } | undefined;
          return s?.procedure?.phase === 'utskrivningsklar' && s.messages?.length === 2 ? s : undefined;
        },
        60_000,
      );
      expect(stay.messages).toHaveLength(2);
    }
    const klar = await until(
      'the utskrivningsklar notice in the municipality',
      async () => (await api(demo.kommune.url, 'GET', '/api/messages/incoming?type=LOG_UTSKRIVNINGSKLAR', demo.kommune.tokens['epj'])).json.items?.[0],
      60_000,
    );
    expect(klar).toMatchObject({ type: 'LOG_UTSKRIVNINGSKLAR', state: 'delivered', appRec: { status: '1' } });

    proc.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(output).toContain('Private PostgreSQL server stopped and removed.');
    expect(await portOpen(pgPort)).toBe(false);
    for (const app of [demo.sthf, demo.kommune]) await expect(fetch(`${app.url}/login`)).rejects.toThrow();
  }, 360_000);
});
