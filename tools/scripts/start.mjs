#!/usr/bin/env node
// `npm start`: the main job. Until the reference apps exist it builds the message-layer packages
// and runs the demonstration of one hospital stay (tools/demo/hospital-stay.mjs).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const nx = join(root, 'node_modules', '.bin', 'nx');

const build = spawnSync(nx, ['run-many', '-t', 'build', '--projects=@samhandling/plo,@samhandling/schema', '--outputStyle=static'], {
  cwd: root,
  env,
  encoding: 'utf8',
});
if (build.status !== 0) {
  process.stdout.write(build.stdout ?? '');
  process.stderr.write(build.stderr ?? '');
  console.error('Building the packages failed: see the output above.');
  process.exit(1);
}
const demo = spawnSync(process.execPath, [join(root, 'tools', 'demo', 'hospital-stay.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(demo.status ?? 1);
