import { defineConfig } from 'tsup';

// The server only: the page script is bundled by esbuild when the server starts (src/page-bundle.ts).
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  clean: true,
  sourcemap: true,
});
