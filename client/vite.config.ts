// Vite builds the explorer from client/ into client/dist/, which the server serves at `/`.
// `npm run dev:client` serves it with hot reload and forwards /api to the API on 127.0.0.1:8080.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Ship icons as files rather than data: URIs (both pass the CSP; files cache better).
    assetsInlineLimit: 0,
    sourcemap: true,
    // Cytoscape and fcose are one large, cacheable chunk; the warning would only be noise.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: false,
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
  preview: { host: '127.0.0.1' },
});
