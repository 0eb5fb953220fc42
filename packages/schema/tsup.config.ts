import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.mjs';

// shims: the bundled schemas folder is found from __dirname, also in the ESM build.
export default defineConfig(packageBuild({ shims: true }));
