/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The API's origin; default `http://127.0.0.1:8787` (`npm run mock:server`). */
  readonly VITE_API_URL?: string
}
