#!/usr/bin/env node
// Installs dependencies when they are missing or stale. Node built-ins only: this runs before
// anything is installed (`prestart` / `pretest` on a fresh clone).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const stampFile = join(root, 'node_modules', '.samhandling-install-stamp');

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Samhandling needs Node.js >= 20.19; this is ${process.versions.node}.`);
  process.exit(1);
}

/** Every manifest that decides what is installed: the lock file and each workspace's package.json. */
function manifests() {
  const files = ['package.json', 'package-lock.json'];
  for (const group of ['packages', 'apps', 'tools']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(dir, entry.name, 'package.json'))) {
        files.push(join(group, entry.name, 'package.json'));
      }
    }
  }
  return files.sort();
}

function fingerprint() {
  const hash = createHash('sha256');
  hash.update(process.versions.node);
  for (const file of manifests()) {
    const full = join(root, file);
    hash.update(file);
    hash.update(existsSync(full) ? readFileSync(full) : '(absent)');
  }
  return hash.digest('hex');
}

const wanted = fingerprint();
const have = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
if (have === wanted && existsSync(join(root, 'node_modules', '.bin'))) {
  process.exit(0);
}

function npm(args) {
  console.log(`[samhandling] npm ${args.join(' ')}`);
  const result = spawnSync('npm', args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  return result.status === 0;
}

console.log('[samhandling] dependencies are missing or stale; installing (native addons build from source, a few minutes the first time)');
const flags = ['--no-audit', '--no-fund'];
const ok = existsSync(join(root, 'package-lock.json'))
  ? npm(['ci', ...flags]) || npm(['install', ...flags])
  : npm(['install', ...flags]);
if (!ok) {
  console.error('[samhandling] npm install failed; see the output above.');
  process.exit(1);
}
// The lock file may have been rewritten by `npm install`: fingerprint again.
writeFileSync(stampFile, `${fingerprint()}\n`);
