import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The web client: sources in client/, built into dist/ which the Express server serves. */
export default defineConfig({
  root: 'client',
  plugins: [react()],
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
