import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes `.vite/chunks.json` next to the build: every JS chunk with the source modules inside it
 * (repository paths). The manifest names only each chunk's entry module; this says what a shared
 * chunk holds, so tests/e2e/shells.test.ts can tell which code a page downloads.
 */
function chunkModules(): Plugin {
  return {
    name: 'onemap-chunk-modules',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).flatMap((c) =>
        c.type === 'chunk' ? [{ file: c.fileName, modules: Object.keys(c.modules).map((id) => path.relative(process.cwd(), id.replace(/\?.*$/, ''))) }] : [],
      );
      this.emitFile({ type: 'asset', fileName: '.vite/chunks.json', source: JSON.stringify(chunks, null, 1) });
    },
  };
}

/** The web client: sources in client/, built into dist/ which the Express server serves. */
export default defineConfig({
  root: 'client',
  plugins: [react(), chunkModules()],
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    // maplibre-gl and deck.gl are large by nature; one warning per build says nothing new.
    chunkSizeWarningLimit: 3000,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
});
