/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The console is served by the huying binary at /, its API at /api/v1.
// `npm run build` writes web/dist with the hashed files under web/dist/assets,
// which web/embed.go embeds with the build tag webui. `npm run dev` proxies the
// API to a running `huying serve` (HUYING_URL, default http://127.0.0.1:8080).
export default defineConfig({
  plugins: [vue()],
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    // Element Plus's shared chunk is ~300 kB before gzip; warn only above that.
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: {
      '/api': process.env.HUYING_URL ?? 'http://127.0.0.1:8080',
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
})
