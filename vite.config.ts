import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The app. `npm run dev` serves it on the MSW service worker (public/mockServiceWorker.js);
// set VITE_API_URL to run it against `npm run mock:server` or a real backend instead.
export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { outDir: 'dist', sourcemap: true },
})
