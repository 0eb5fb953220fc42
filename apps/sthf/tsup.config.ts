import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.mjs';

// An application, not a library: one CommonJS entry (`node dist/main.cjs --config FILE`).
export default defineConfig(packageBuild({ entry: ['src/main.ts'], format: ['cjs'], dts: false }));
