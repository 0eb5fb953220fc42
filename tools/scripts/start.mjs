#!/usr/bin/env node
// `npm start`: the main job. Builds the reference apps (and the packages they use), then runs
// tools/demo/apps.mjs: a test PKI, an address register, both apps on loopback (SQLite, embedded
// SMTP), a seeded demo stay, and the two URLs with demo credentials.
//   npm start                          SQLite
//   npm start -- --postgres            PostgreSQL: a private throw-away server, or your own through
//                                      KOMMUNE_DATABASE_URL and STHF_DATABASE_URL
// The earlier message-layer demonstration runs with `node tools/demo/hospital-stay.mjs`.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const nx = join(root, 'node_modules', '.bin', 'nx');

console.log('Building the packages and the reference apps…');
const build = spawnSync(nx, ['run-many', '-t', 'build', '--projects=@samhandling/app-kommune,@samhandling/app-sthf,@samhandling/store-postgres', '--outputStyle=static'], {
  cwd: root,
  env,
  encoding: 'utf8',
});
if (build.status !== 0) {
  process.stdout.write(build.stdout ?? '');
  process.stderr.write(build.stderr ?? '');
  console.error('Building failed: see the output above.');
  process.exit(1);
}
// Not spawnSync: SIGINT/SIGTERM sent to this process are passed on, so the demo stops its apps (and
// its private PostgreSQL server) before we exit.
const demo = spawn(process.execPath, [join(root, 'tools', 'demo', 'apps.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => demo.kill(signal));
demo.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 0)));
// `npm start` runs this through `sh -c`: a SIGTERM to npm (a container stopping, `timeout`) ends
// the shell without passing the signal on. When our parent is gone, stop the demo as for SIGTERM.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) demo.kill('SIGTERM');
}, 1000).unref();
