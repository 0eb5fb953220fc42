import { existsSync } from 'node:fs';
import path from 'node:path';

/** The shared conformance folder (`shared/conformance` beside an ancestor of this file), if present. */
export function findConformance(): string | undefined {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'shared', 'conformance');
    if (existsSync(path.join(candidate, 'SOURCES.md'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export const fixtures = path.resolve(__dirname, 'fixtures');
