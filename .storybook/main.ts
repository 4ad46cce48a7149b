import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/web-components-vite';
import { mergeConfig } from 'vite';
// The same two stand-ins the rollup bundles use for the peer library's dependencies (see rollup.config.mjs), so
// the element in Storybook runs the code the bundle ships (and vite need not pre-bundle `debug`/`streamx`).
import { SHIMS } from '../rollup.config.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// preview.ts documents the element from custom-elements.json, which is generated (and gitignored): make sure a
// fresh clone has one before Storybook starts.
if (!existsSync(`${root}/custom-elements.json`)) {
  execFileSync('npm', ['run', 'analyze', '--silent'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
}

// Autodocs (the Docs page built from custom-elements.json) needs @storybook/addon-docs; without it the stories
// still build, only the Docs page is missing.
const installed = (name: string) => {
  try {
    createRequire(import.meta.url).resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
};

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.stories.ts'],
  addons: installed('@storybook/addon-docs') ? ['@storybook/addon-docs'] : [],
  core: { disableTelemetry: true },
  async viteFinal(viteConfig) {
    return mergeConfig(viteConfig, {
      resolve: {
        alias: Object.entries(SHIMS).map(([find, replacement]) => ({
          find: new RegExp(`^${find}$`, 'u'),
          replacement,
        })),
      },
    });
  },
};

export default config;
