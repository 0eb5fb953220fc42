/**
 * `npm start` end to end, once per store: runs `tools/demo/apps.mjs` as a user would, with SQLite
 * (the default) and with `--postgres` (without database URLs, so it starts its own private
 * PostgreSQL cluster). Waits for the demo summary, checks that both apps are ready, that the seed
 * is reported as done (summary and demo.json) and that the seeded stay is visible through both REST
 * APIs with the AppRec of its utskrivningsklar notice, then stops it with SIGTERM and checks that
 * the apps (and the PostgreSQL server) are gone.
 *
 * Needs the built apps: nx builds the node-app and both apps before this project's tests
 * (package.json `nx.targets.test.dependsOn`); when running jest by hand, run `npx tsup` here first
 * (`apps/{sthf,kommune}/dist/main.cjs` are built here when missing). The PostgreSQL case needs the
 * PostgreSQL server binaries (Debian's `postgresql`) and skips with a message when they are not
 * installed or SAMHANDLING_SKIP_PG=1.
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
if (missing !== undefined) console.log(`postgres-start.int.test: PostgreSQL case skipped: ${missing}`);

interface DemoFile {
  readonly store: string;
  readonly seed: { readonly ok: boolean; readonly sent: readonly string[]; readonly error?: string } | null;
  readonly sthf: { readonly url: string; readonly tokens: Record<string, string> };
  readonly kommune: { readonly url: string; readonly tokens: Record<string, string> };
}

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

function buildAppsIfMissing(): void {
  for (const app of ['sthf', 'kommune']) {
    const folder = join(ROOT, 'apps', app);
    if (!existsSync(join(folder, 'dist', 'main.cjs'))) {
      const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsup'), { cwd: folder, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`building apps/${app} failed: ${r.stderr}`);
    }
  }
}

interface StartCase {
  readonly title: string;
  readonly store: 'sqlite' | 'postgres';
  readonly args: readonly string[];
  readonly skip: string | undefined;
}

const CASES: readonly StartCase[] = [
  { title: 'npm start (SQLite)', store: 'sqlite', args: [], skip: undefined },
  { title: 'npm start -- --postgres (private PostgreSQL cluster)', store: 'postgres', args: ['--postgres'], skip: missing },
];

for (const c of CASES) {
  (c.skip === undefined ? describe : describe.skip)(c.title, () => {
    let child: ChildProcess | undefined;
    let dir: string | undefined;
    let output = '';

    beforeAll(() => {
      buildAppsIfMissing();
      dir = mkdtempSync(join(tmpdir(), `samhandling-start-${c.store}-`));
    });

    afterAll(async () => {
      if (child !== undefined && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child?.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    }, 60_000);

    test(`both apps answer, the seeded stay and its AppRec are visible, and stopping ends ${c.store === 'postgres' ? 'the apps and removes the cluster' : 'the apps'}`, async () => {
      const demoDir = dir!;
      const env: NodeJS.ProcessEnv = { ...process.env };
      delete env['KOMMUNE_DATABASE_URL'];
      delete env['STHF_DATABASE_URL'];
      const proc = spawn(process.execPath, [join(ROOT, 'tools', 'demo', 'apps.mjs'), ...c.args, '--dir', demoDir], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      proc.stdout?.on('data', (b: Buffer) => (output += b.toString('utf8')));
      proc.stderr?.on('data', (b: Buffer) => (output += b.toString('utf8')));
      const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));

      // The summary, or apps.mjs exiting first (then fail at once, with its output).
      const seen = await until(
        'the demo summary',
        async () => (output.includes('Stop with Ctrl-C') ? 'summary' : proc.exitCode !== null || proc.signalCode !== null ? 'exit' : undefined),
        240_000,
      ).catch((err: unknown) => {
        throw new Error(`${String(err)}\n--- output ---\n${output}`);
      });
      if (seen === 'exit') throw new Error(`apps.mjs exited with ${String(proc.exitCode ?? proc.signalCode)} before its summary:\n${output}`);

      // The seed is reported as done, not as failed.
      expect(output).not.toMatch(/seeding .* failed|NOT SEEDED/);
      expect(output).toContain('Seeded: Kari Nordmann admitted and declared utskrivningsklar');
      const demo = JSON.parse(readFileSync(join(demoDir, 'demo.json'), 'utf8')) as DemoFile;
      expect(demo.store).toBe(c.store);
      expect(demo.seed).toEqual({ ok: true, sent: ['LOG_INNLAGT', 'LOG_UTSKRIVNINGSKLAR'] });
      let pgPort: number | undefined;
      if (c.store === 'postgres') {
        expect(output).toMatch(/private PostgreSQL \d+ on 127\.0\.0\.1:\d+/);
        pgPort = Number(/private PostgreSQL \d+ on 127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
        // The configurations name PostgreSQL (no SQLite files).
        for (const role of ['sthf', 'kommune']) expect(readFileSync(join(demoDir, `${role}.yaml`), 'utf8')).toMatch(/store:\n\s+postgres:/);
      } else {
        expect(output).toContain('both reference apps on loopback (SQLite,');
        for (const role of ['sthf', 'kommune']) {
          expect(readFileSync(join(demoDir, `${role}.yaml`), 'utf8')).toMatch(/store:\n\s+sqlite:/);
          expect(existsSync(join(demoDir, 'data', `${role}.sqlite`))).toBe(true);
        }
      }

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
      if (pgPort !== undefined) {
        expect(output).toContain('Private PostgreSQL server stopped and removed.');
        expect(await portOpen(pgPort)).toBe(false);
      }
      for (const app of [demo.sthf, demo.kommune]) await expect(fetch(`${app.url}/login`)).rejects.toThrow();
    }, 360_000);
  });
}
