#!/usr/bin/env node
// Builds the native XSD engine (build/Release/samhandling_xml.node) with node-gyp, unless it is
// already up to date. Runs as this package's `install` script and before `tsup` in `build`.
//
// Up to date: the addon exists and is newer than binding.gyp, native/samhandling_xml.c and the
// libxmljs2 package whose vendored libxml2 sources are compiled in. The addon uses Node-API only,
// so one build serves every Node.js version. `--force` always rebuilds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { patchedParserSource } from './libxml-patch.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const addon = join(root, 'build', 'Release', 'samhandling_xml.node');
const require = createRequire(join(root, 'package.json'));

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : Number.POSITIVE_INFINITY);
const inputs = [join(root, 'binding.gyp'), join(root, 'native', 'samhandling_xml.c'), join(root, 'native', 'libxml-patch.mjs'), require.resolve('libxmljs2/package.json')];
const force = process.argv.includes('--force');

// libxml's parser.c with our one patch (native/libxml-patch.mjs, ADR 0017), compiled instead of
// the vendored file; rewritten only when its text changes, so make's incremental build holds.
const vendoredParser = join(dirname(require.resolve('libxmljs2/package.json')), 'vendor', 'libxml', 'parser.c');
const patchedParser = join(root, 'native', 'patched', 'parser.c');
const patched = patchedParserSource(readFileSync(vendoredParser, 'latin1'));
if (!existsSync(patchedParser) || readFileSync(patchedParser, 'latin1') !== patched) {
  mkdirSync(dirname(patchedParser), { recursive: true });
  writeFileSync(patchedParser, patched, 'latin1');
}

if (!force && existsSync(addon) && inputs.every((file) => mtime(file) <= mtime(addon))) {
  process.exit(0);
}

/**
 * node-gyp's entry script: the one npm names inside npm scripts, else one installed beside this
 * package (libxmljs2 depends on it), else the copy bundled with npm; undefined: use PATH.
 */
function nodeGyp() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  try {
    return require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    // not installed beside us
  }
  const bundled = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  return existsSync(bundled) ? bundled : undefined;
}

const gyp = nodeGyp();
// Headers: npm passes its `nodedir` setting to scripts; outside npm, use the headers installed
// beside this node (distribution packages and the official tarballs have include/node) rather
// than downloading them.
const nodedir = [];
if (!process.env.npm_config_nodedir) {
  const prefix = join(dirname(process.execPath), '..');
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h')) && existsSync(join(prefix, 'include', 'node', 'common.gypi'))) {
    nodedir.push(`--nodedir=${prefix}`);
  }
}
const configured = existsSync(join(root, 'build', 'Makefile')) && mtime(join(root, 'binding.gyp')) <= mtime(join(root, 'build', 'config.gypi'));
const args = configured && !force ? ['build'] : ['rebuild', ...nodedir];
console.log(`[@samhandling/schema] building the native XSD engine (node-gyp ${args[0]}; libxml2 from libxmljs2's sources, about a minute)`);
const result = gyp
  ? spawnSync(process.execPath, [gyp, ...args], { cwd: root, stdio: 'inherit' })
  : spawnSync('node-gyp', args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (result.status !== 0) {
  if (result.error) console.error(`[@samhandling/schema] ${result.error.message}`);
  console.error('[@samhandling/schema] node-gyp failed: a C compiler, make and Python 3 are needed (see README, "Native engine").');
  process.exit(result.status ?? 1);
}
