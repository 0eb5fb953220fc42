import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.mjs';

// The library (used by apps/kommune and apps/sthf) and the `samhandling-app` bin (token create).
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/cli.ts'], shims: true }));
