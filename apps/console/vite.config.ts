import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/kapis': 'http://127.0.0.1:8080' } },
  worker: { format: 'es' },
  build: { chunkSizeWarningLimit: 4000, sourcemap: false },
});
