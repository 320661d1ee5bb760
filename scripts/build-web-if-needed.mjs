#!/usr/bin/env node
// Builds the web app (vite build --config web/vite.config.ts) only when web/dist/index.html is missing
// or older than a source of it (web/src/**, web/public/**, web/index.html, web/vite.config.ts,
// web/tsconfig.json), so `npm start` is fast after the first time. Prints one line saying what it did.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'web');
const output = join(web, 'dist', 'index.html');
const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json'].map((p) => join(web, p));

/** The newest file under `path` as {file, mtimeMs}, or null if `path` does not exist. */
function newest(path) {
  if (!existsSync(path)) return null;
  const stat = statSync(path);
  if (!stat.isDirectory()) return { file: path, mtimeMs: stat.mtimeMs };
  let best = null;
  for (const entry of readdirSync(path)) {
    const candidate = newest(join(path, entry));
    if (candidate && (!best || candidate.mtimeMs > best.mtimeMs)) best = candidate;
  }
  return best;
}

function reason() {
  if (!existsSync(output)) return 'web/dist/index.html is missing';
  const built = statSync(output).mtimeMs;
  for (const source of sources) {
    const latest = newest(source);
    if (latest && latest.mtimeMs > built)
      return `${relative(root, latest.file)} changed since the last build`;
  }
  return null;
}

const why = reason();
if (!why) {
  console.log('web: web/dist is up to date, build skipped');
  process.exit(0);
}

const vite = join(root, 'node_modules', '.bin', 'vite');
const started = Date.now();
const result = spawnSync(vite, ['build', '--config', join(web, 'vite.config.ts'), '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error(`web: vite build failed (${why}), exit code ${result.status ?? result.signal}`);
  process.exit(result.status ?? 1);
}
console.log(`web: built web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s (${why})`);
