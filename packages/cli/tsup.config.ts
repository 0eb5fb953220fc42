import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.mjs';

// Two entries: the library (`runCli`) and the `samhandling` bin. `src/cli.ts` starts with a
// `#!/usr/bin/env node` line, which esbuild keeps at the top of `dist/cli.cjs`.
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/cli.ts'] }));
