#!/usr/bin/env node
// Starts the server from TypeScript sources: no build step for the user. The web page is bundled first (esbuild,
// about a second) in a process of its own, so that esbuild's service process ends with it instead of living on
// beside the server; if the build fails the API still starts, and `/` says the page is not built.
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { serveTs } = require('./run-ts');

const build = spawnSync(process.execPath, [path.join(__dirname, 'build-web.js')], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('the web page did not build (see above); the API starts without it');
}
// SIGTERM (docker stop, systemd) and SIGINT reach the server, which stops gracefully; its exit status is this one's.
// `npm start` execs this script (package.json), so no shell stands between npm's forwarded signal and this process.
serveTs('apps/api/src/main.ts');
