import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const SHELTERS_HTML = here('client/shelters/index.html');
const SW = here('client/src/shells/public/sw.ts');

interface ChunkLike {
  type: 'chunk' | 'asset';
  fileName: string;
  name?: string;
  facadeModuleId?: string | null;
  imports?: string[];
  dynamicImports?: string[];
  viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> };
}

/**
 * Writes into the public shell's service worker the files it precaches on install: every chunk,
 * stylesheet and asset the shelter page can load (lazy ones too: the map library and its worker,
 * the QR encoder), and none of the one-map's. The cache name carries a hash of that list, so a new
 * build replaces the cache.
 */
function precacheShelters(): Plugin {
  return {
    name: 'precache-shelters',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = bundle as unknown as Record<string, ChunkLike>;
      const entry = Object.values(files).find((c) => c.type === 'chunk' && c.facadeModuleId === SHELTERS_HTML);
      const sw = Object.values(files).find((c) => c.type === 'chunk' && c.facadeModuleId === SW) as (ChunkLike & { code: string }) | undefined;
      if (!entry || !sw) return;
      const list = new Set<string>();
      const visit = (fileName: string): void => {
        const c = files[fileName];
        if (!c || list.has(fileName)) return;
        list.add(fileName);
        for (const f of [...(c.imports ?? []), ...(c.dynamicImports ?? [])]) visit(f);
        for (const f of [...(c.viteMetadata?.importedCss ?? []), ...(c.viteMetadata?.importedAssets ?? [])]) list.add(f);
      };
      visit(entry.fileName);
      const precache = [...list].sort();
      const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12);
      sw.code = sw.code.replace(/__PRECACHE__/g, JSON.stringify(precache)).replace(/__PRECACHE_VERSION__/g, JSON.stringify(version));
    },
  };
}

const SHELL_ENTRIES = ['command', 'plan', 'admin'].map((s) => here(`client/src/shells/${s}/index.tsx`));

/**
 * Adds to the one-map page (`/`, `/plan/`, `/admin/`) a `modulepreload` for every chunk that all
 * three shells import statically (the map frame, MapLibre, deck.gl) and a preload of their
 * stylesheets. Without it the browser asks for them only once main.js has run and React has
 * rendered the lazy shell (≈ 0.2 s later on a 2-core machine); with it they arrive, and compile,
 * while main.js runs. Chunks only one shell uses are left to its own import.
 */
function preloadShellCommons(): Plugin {
  return {
    name: 'preload-shell-commons',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle as unknown as Record<string, ChunkLike> | undefined;
        if (!bundle || !ctx.chunk || ctx.filename !== here('client/index.html')) return html;
        const closure = (fileName: string, seen = new Set<string>()): Set<string> => {
          if (seen.has(fileName)) return seen;
          seen.add(fileName);
          for (const f of bundle[fileName]?.imports ?? []) closure(f, seen);
          return seen;
        };
        const shells = Object.values(bundle).filter((c) => c.type === 'chunk' && SHELL_ENTRIES.includes(c.facadeModuleId ?? ''));
        if (shells.length !== SHELL_ENTRIES.length) throw new Error(`preload-shell-commons: found ${shells.length} of the ${SHELL_ENTRIES.length} shell chunks`);
        const [first, ...rest] = shells.map((c) => closure(c.fileName));
        const onPage = closure(ctx.chunk.fileName);
        const common = [...first].filter((f) => rest.every((s) => s.has(f)) && !onPage.has(f)).sort();
        const css = [...new Set(common.flatMap((f) => [...(bundle[f].viteMetadata?.importedCss ?? [])]))].sort();
        const links = [
          ...common.map((f) => `<link rel="modulepreload" crossorigin href="/${f}">`),
          ...css.map((f) => `<link rel="preload" as="style" crossorigin href="/${f}">`),
        ];
        return html.replace(/\n(\s*)<\/head>/, (_, indent: string) => `\n${links.map((l) => `${indent}  ${l}`).join('\n')}\n${indent}</head>`);
      },
    },
  };
}

/**
 * The web client: sources in client/, built into dist/ which the Express server serves. Two pages:
 * the one-map (`/`) and the public shelter finder (`/shelters/`), plus the finder's service worker,
 * built un-hashed at `/shelters/sw.js` so its scope is `/shelters/`.
 */
export default defineConfig({
  root: 'client',
  plugins: [react(), chunkModules(), precacheShelters(), preloadShellCommons()],
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    // maplibre-gl and deck.gl are large by nature; one warning per build says nothing new.
    chunkSizeWarningLimit: 3000,
    rollupOptions: {
      input: { main: here('client/index.html'), shelters: SHELTERS_HTML, sw: SW },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'shelters/sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
});
