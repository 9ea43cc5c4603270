// Jest globalSetup of the api tests: the server serves the web page from dist/web, which `npm start` builds; the
// tests build it the same way (esbuild, about a second) before any test file starts a server.
const { buildWeb, stopBundler } = require('../../../../tools/scripts/build-web');

module.exports = async () => {
  try {
    await buildWeb();
  } finally {
    await stopBundler();
  }
};
