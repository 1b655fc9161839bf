// `npm start` (after the build): serves the demo site, with the built script, on localhost.
import { serveStatic } from './static-server.mjs';

const port = Number(process.env.PORT ?? 5173);
const { origin } = await serveStatic({
  port,
  mounts: {
    '/': 'demo',
    '/tabstream.js': 'dist/tabstream.js',
    '/tabstream-core.js': 'dist/tabstream-core.js',
    '/tabstream.mjs': 'dist/tabstream.mjs',
  },
});
console.log(`tabstream demo: ${origin}/  (Ctrl+C to stop)`);
