// Builds the extension into dist/: the service worker and the popup bundled by esbuild (ES modules in, one
// file each out), and the static files copied beside them. `npm run build`; test.sh runs it.
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

await build({
  entryPoints: {
    background: join(root, 'src/background.js'),
    popup: join(root, 'src/popup.js'),
    // The extension's own pages (issue 12, point 5): first-run notice, acknowledgement, tell a trusted adult.
    'notice-page': join(root, 'src/notice-page.js'),
    'acknowledgement-page': join(root, 'src/acknowledgement-page.js'),
    'concern-page': join(root, 'src/concern-page.js'),
  },
  outdir: dist,
  bundle: true,
  format: 'esm',
  target: 'chrome120',
  legalComments: 'none',
  logLevel: 'warning',
});

// A content script is a classic script, not a module: bundled on its own as an IIFE.
await build({
  entryPoints: { content: join(root, 'src/content.js') },
  outdir: dist,
  bundle: true,
  format: 'iife',
  target: 'chrome120',
  legalComments: 'none',
  logLevel: 'warning',
});

for (const file of ['manifest.json', 'managed_schema.json', 'src/popup.html', 'src/popup.css', 'src/frame-blocked.html', 'src/frame-blocked.js',
  'src/frame-blocked.css', 'src/pages.css', 'src/notice.html', 'src/acknowledgement.html', 'src/concern.html']) {
  await copyFile(join(root, file), join(dist, file.replace(/^src\//, '')));
}

// The manifest's version follows package.json, so one number is bumped for a release.
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const manifest = JSON.parse(await readFile(join(dist, 'manifest.json'), 'utf8'));
manifest.version = pkg.version;
await writeFile(join(dist, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`built ${dist}`);
