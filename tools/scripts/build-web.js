#!/usr/bin/env node
// Bundles the web page (apps/web) with esbuild into dist/web, which the server serves at `/` and `/web/*`:
// index.html, app.js (niivue included, no CDN), style.css, source maps and the bundled packages' licences. Code that
// niivue loads only for other formats (zarr's zstd/blosc codecs, ~1.3 MB) stays in lazy chunk-*.js files.
// `npm start` and the api tests run it first; it takes about a second and needs no network.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const webSrc = path.join(root, 'apps', 'web', 'src');
const defaultOutDir = path.join(root, 'dist', 'web');

/**
 * Builds the page into `outDir`. Each file is written under a temporary name and renamed, so a server (or a second
 * build) never reads a half-written file. Resolves to the output files' sizes in bytes.
 */
async function buildWeb({ outDir = defaultOutDir } = {}) {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { app: path.join(webSrc, 'main.ts'), style: path.join(webSrc, 'styles.css') },
    bundle: true,
    format: 'esm',
    splitting: true,
    chunkNames: 'chunk-[hash]',
    target: ['chrome110', 'firefox115', 'safari16.4'],
    minify: true,
    sourcemap: 'linked',
    outdir: outDir,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const files = result.outputFiles.map((f) => ({ name: path.basename(f.path), contents: f.contents }));
  files.push({ name: 'index.html', contents: fs.readFileSync(path.join(webSrc, 'index.html')) });
  files.push({ name: 'third-party-licenses.txt', contents: Buffer.from(licenceNotice(result.metafile), 'utf8') });
  fs.mkdirSync(outDir, { recursive: true });
  const sizes = {};
  for (const file of files) {
    const target = path.join(outDir, file.name);
    const temp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temp, file.contents);
    fs.renameSync(temp, target);
    sizes[file.name] = file.contents.length;
  }
  // Chunks of earlier builds: names carry their content hash, so any not written now is stale.
  for (const name of fs.readdirSync(outDir)) {
    if (/^chunk-\w+\.js(\.map)?$/.test(name) && !(name in sizes)) {
      fs.rmSync(path.join(outDir, name), { force: true });
    }
  }
  return sizes;
}

/** The licence texts of every npm package that ended up in the bundle (BSD-2 and MIT ask for them). */
function licenceNotice(metafile) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match && !packages.has(match[1])) {
      packages.set(match[1], path.join(root, input.slice(0, match.index + match[0].length)));
    }
  }
  const sections = [...packages.entries()].sort().map(([name, dir]) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const licenceFile = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = licenceFile ? fs.readFileSync(path.join(dir, licenceFile), 'utf8').trim() : `License: ${pkg.license}`;
    return `${name}@${pkg.version} (${pkg.license})\n\n${text}\n`;
  });
  return `Packages bundled into the page (app.js and its chunks)\n\n${sections.join('\n---\n\n')}`;
}

/** Ends esbuild's service process (started by the first build) and resolves once it has exited. */
function stopBundler() {
  return require('esbuild').stop();
}

module.exports = { buildWeb, stopBundler, defaultOutDir };

if (require.main === module) {
  const started = Date.now();
  buildWeb()
    .finally(stopBundler)
    .then(
      (sizes) => {
        const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
        const chunks = Object.entries(sizes).filter(([name]) => /^chunk-\w+\.js$/.test(name));
        const chunkBytes = chunks.reduce((sum, [, bytes]) => sum + bytes, 0);
        console.log(
          `web page built into ${path.relative(root, defaultOutDir)} in ${Date.now() - started} ms: ` +
            `app.js ${kib(sizes['app.js'])}, style.css ${kib(sizes['style.css'])}, ` +
            `${chunks.length} split chunks ${kib(chunkBytes)} (mostly zarr codecs, fetched only when used)`,
        );
      },
      (error) => {
        console.error(`the web page did not build: ${error.message}`);
        process.exit(1);
      },
    );
}
