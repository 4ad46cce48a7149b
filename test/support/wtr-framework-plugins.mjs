// Test-runner plugins for the framework host tests. React ships CommonJS, which the dev server cannot serve: one
// esbuild bundle holds react, react/jsx-runtime, react-dom and react-dom/client (one React instance, as an app's
// bundler would make it). Vue's self-contained browser build is served as it is, and .vue files are compiled with
// Vue's own SFC compiler, as a Vue app's build would.
import { build, transform } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { compileScript, parse } from 'vue/compiler-sfc';

const REACT_MODULES = ['react', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'react-dom', 'react-dom/client'];
const BUNDLED_REACT = '/__deps__/react.js';
const VUE_BROWSER_BUILD = '/node_modules/vue/dist/vue.runtime.esm-browser.js';

/** Export names of a CommonJS module, read in a child process (React patches the console of whoever loads it). */
const exportNames = (module) =>
  JSON.parse(
    execFileSync(process.execPath, ['-p', `JSON.stringify(Object.keys(require('${module}')))`], { encoding: 'utf8' }),
  );

/** Every export name of the React modules, read from the CommonJS modules themselves (first one wins). */
function reactEntry() {
  const seen = new Set();
  const lines = [];
  for (const module of REACT_MODULES) {
    const names = exportNames(module).filter((name) => /^[A-Za-z_$][\w$]*$/u.test(name) && !seen.has(name));
    names.forEach((name) => seen.add(name));
    if (names.length) lines.push(`export { ${names.join(', ')} } from '${module}';`);
  }
  return lines.join('\n');
}

export function bundledReact() {
  let bundle;
  return {
    name: 'bundled-react',
    resolveImport({ source }) {
      if (REACT_MODULES.includes(source)) return BUNDLED_REACT;
    },
    async serve(context) {
      if (context.path !== BUNDLED_REACT) return undefined;
      bundle ??= build({
        stdin: { contents: reactEntry(), resolveDir: process.cwd(), loader: 'js' },
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        define: { 'process.env.NODE_ENV': '"development"' },
        logLevel: 'silent',
      }).then((result) => result.outputFiles[0].text);
      return { body: await bundle, type: 'js' };
    },
  };
}

/** Tags Vue's template compiler must leave to the browser. */
export const isCustomElement = (tag) => tag === 'p2p-call';

export function vueSingleFileComponents() {
  return {
    name: 'vue-sfc',
    resolveImport({ source }) {
      if (source === 'vue') return VUE_BROWSER_BUILD;
    },
    async serve(context) {
      if (!context.path.endsWith('.vue')) return undefined;
      const filename = decodeURIComponent(context.path);
      const source = await readFile(`.${filename}`, 'utf8');
      // The template is parsed here already: the option must reach the parser, not only the compiler.
      const { descriptor, errors } = parse(source, { filename, templateParseOptions: { isCustomElement } });
      if (errors.length) throw errors[0];
      const script = compileScript(descriptor, {
        id: filename,
        inlineTemplate: true,
        templateOptions: { compilerOptions: { isCustomElement } },
      });
      const { code } = await transform(script.content, { loader: 'ts', target: 'es2022', format: 'esm' });
      return { body: code, type: 'js' };
    },
  };
}
