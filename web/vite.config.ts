import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/** Where the node finds the app on its class path: the kindred-web jar holds this folder (see WebApp.java). */
const outDir = 'target/classes/kindred/web';

/** Lists the built files in files.txt: the node reads exactly these, once, at start-up. */
function listFiles(): Plugin {
  return {
    name: 'kindred-list-files',
    apply: 'build',
    closeBundle() {
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          if (statSync(path).isDirectory()) walk(path);
          else if (name !== 'files.txt') files.push(relative(outDir, path).split(sep).join('/'));
        }
      };
      walk(outDir);
      writeFileSync(join(outDir, 'files.txt'), `${files.sort().join('\n')}\n`);
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the same build works at / on the node and under any path elsewhere.
  base: './',
  plugins: [listFiles()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // One small app: no module-preload polyfill (it would be inline script, which the CSP forbids anyway).
    modulePreload: { polyfill: false },
  },
  server: {
    // `npm run dev` next to `scripts/run.sh`: the dev server forwards the node's endpoints.
    proxy: {
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
      '/dev/token': 'http://127.0.0.1:8080',
      '/config.json': 'http://127.0.0.1:8080',
      '/moderator/figures': 'http://127.0.0.1:8080',
    },
  },
});
