import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const lib = (path: string): string => fileURLToPath(new URL(`../../libs/${path}`, import.meta.url));

export default defineConfig(({ command }) => {
  // A build is always the production bundle: a shell's NODE_ENV=development (the README's default
  // for the API) must not ship React's development build (over the JS budget).
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
    plugins: [react()],
    resolve: {
      alias: { '@conecta/contracts': lib('contracts/src/index.ts') },
    },
    build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, reportCompressedSize: false },
    server: {
      port: 5173,
      proxy: { '/api': 'http://localhost:3000' },
    },
  };
});
