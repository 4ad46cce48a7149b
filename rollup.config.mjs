// Three builds: the script-tag bundle (an ES module entry with what a page needs to show the element, plus chunks in
// dist/min/ that it imports on demand), the ESM package (lit/mitt left to the consumer's bundler; the peer library
// inside so consumers never install it; the wire protocol as an entry of its own for the server), and the Node
// signaling server, which is the p2p-call-server package in server/.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { existsSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { minifyTemplates } from './scripts/minify-templates.mjs';

// rollup-plugin-esbuild's resolveId bypasses package.json "browser" maps (see shared/TOOLCHAIN.md): transpile only.
// ES2022 but for class static blocks, which esbuild would make of `static styles = ...` and which Safari parses only
// from 16.4 on: an assignment after the class does the same in every browser.
const typescript = () => {
  const plugin = esbuild({ target: 'es2022', tsconfig: 'tsconfig.json', supported: { 'class-static-blocks': false } });
  delete plugin.resolveId;
  return plugin;
};

// Our sources import './x.js' (the TypeScript ESM convention); point those at './x.ts'.
const tsExtensions = () => ({
  name: 'ts-extensions',
  resolveId(source, importer) {
    if (!importer || !source.startsWith('.') || !source.endsWith('.js')) return null;
    const candidate = resolve(dirname(importer), source.replace(/\.js$/u, '.ts'));
    return existsSync(candidate) ? candidate : null;
  },
});

// Some of the peer library's dependencies replaced by small stand-ins (see scripts/shims/): `debug` logging off,
// `streamx` (a Node-style stream base the call never uses as a stream) by an event-only Duplex, and `err-code` and
// `webrtc-polyfill` by the few lines of them it uses.
export const SHIMS = {
  streamx: new URL('./scripts/shims/streamx.js', import.meta.url).pathname,
  debug: new URL('./scripts/shims/debug.js', import.meta.url).pathname,
  'err-code': new URL('./scripts/shims/err-code.js', import.meta.url).pathname,
  'webrtc-polyfill': new URL('./scripts/shims/webrtc-polyfill.js', import.meta.url).pathname,
};
const shims = () => ({
  name: 'shims',
  resolveId: (source) => SHIMS[source] ?? null,
});

// Lit's css`` literals ship as written: strip comments and collapse whitespace in the styles modules (they hold
// plain CSS, no interpolations), which the minifier cannot do for strings.
const minifyStyles = () => ({
  name: 'minify-styles',
  transform(code, id) {
    if (!id.endsWith('.styles.ts')) return null;
    return code.replace(/css`([^`]*)`/gu, (_, body) => {
      const minified = body
        .replace(/\/\*[\s\S]*?\*\//gu, '')
        .replace(/\s+/gu, ' ')
        .replace(/\s*([{};,])\s*/gu, '$1') // not before ':' — `.aux ::slotted()` needs its space
        .replace(/:\s+/gu, ':')
        .replace(/\s*\/\s*/gu, '/') // `16 / 10`, `rgb(0 0 0 / 0.5)`
        .replace(/([\s(,:/])0\./gu, '$1.') // 0.5 -> .5
        .replace(/;\}/gu, '}')
        .trim();
      return `css\`${minified}\``;
    });
  },
});

// Chunks carry hashes: empty their folder first, so it holds exactly this build's chunks (scripts/check-size.mjs adds
// the script-tag bundle's all up, and the package ships dist/ as it is).
const emptyFolder = (folder) => ({
  name: 'empty-folder',
  buildStart: () => rmSync(folder, { recursive: true, force: true }),
});

// simple-peer formats a trace message in ~40 places (`this._debug('...')`); with `debug` shimmed off they only cost
// bytes. `false &&` in front of each call lets the minifier drop it, message and all.
const dropPeerTraces = () => ({
  name: 'drop-peer-traces',
  transform(code, id) {
    if (!/@thaunknown\/simple-peer\/(lite|index)\.js$/u.test(id)) return null;
    return { code: code.replaceAll('this._debug(', 'false && this._debug('), map: null };
  },
});

const browserResolve = () => nodeResolve({ browser: true, exportConditions: ['browser'], preferBuiltins: false });

const onwarn = (warning, warn) => {
  // simple-peer's dependencies use `this` at module level in CommonJS wrappers; harmless.
  if (warning.code === 'THIS_IS_UNDEFINED') return;
  warn(warning);
};

export default [
  {
    input: 'src/script-tag.ts',
    // Chunk URLs are relative imports, which the browser resolves against the entry's own URL: a copy on a CDN works.
    // The hash in a chunk's name keeps a cached old chunk from meeting a new entry.
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: 'p2p-call.min.js',
      chunkFileNames: 'min/[name]-[hash].js',
      sourcemap: true,
      // What two chunks share goes into a chunk always loaded before them (for the session's few shared helpers,
      // the entry) rather than a tiny chunk of its own, which would cost a round trip after theirs.
      experimentalMinChunkSize: 2048,
    },
    // The chunks import what they share with the entry from the entry itself (a few extra exports), rather than
    // rollup moving all of it into a third file behind a one-line entry: one request fewer at page load.
    preserveEntrySignatures: 'allow-extension',
    plugins: [emptyFolder('dist/min'), tsExtensions(), shims(), browserResolve(), dropPeerTraces(), commonjs(), typescript(), minifyStyles(), minifyTemplates(), terser({ ecma: 2022, module: true, compress: { passes: 3, unsafe_arrows: true }, format: { comments: false } })],
    onwarn,
  },
  {
    input: { index: 'src/index.ts', 'p2p-call': 'src/p2p-call.ts', protocol: 'src/signaling/protocol.ts' },
    output: { dir: 'dist', format: 'esm', sourcemap: true, chunkFileNames: 'chunks/[name]-[hash].js' },
    external: (id) => /^(lit|@lit|mitt|valibot)(\/|$)/u.test(id),
    plugins: [emptyFolder('dist/chunks'), tsExtensions(), shims(), browserResolve(), commonjs(), typescript()],
    onwarn,
  },
  {
    input: { index: 'server/index.ts', bin: 'server/bin.ts' },
    // server/dist is what the p2p-call-server package ships; dist/server is the same build where this repository's
    // tests, bench and `npm start` have always found it. There its `p2p-call/protocol` import resolves to this
    // package itself (a package may import its own exports by name).
    output: ['server/dist', 'dist/server'].map((dir) => ({
      dir,
      format: 'esm',
      banner: (chunk) => (chunk.name === 'bin' ? '#!/usr/bin/env node' : ''),
    })),
    // The protocol comes from the p2p-call package at run time: the server speaks the protocol of the element
    // version installed beside it, and carries no copy of its own.
    external: (id) => /^(node:|ws$|valibot$|jose$|ioredis$|p2p-call\/)/u.test(id),
    plugins: [
      emptyFolder('server/dist'),
      emptyFolder('dist/server'),
      tsExtensions(),
      nodeResolve({ preferBuiltins: true }),
      typescript(),
    ],
    onwarn,
  },
];
