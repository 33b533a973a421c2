import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const lib = (path: string): string => fileURLToPath(new URL(`../../libs/${path}`, import.meta.url));

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@conecta/contracts': lib('contracts/src/index.ts') },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, reportCompressedSize: false },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000' },
  },
});
