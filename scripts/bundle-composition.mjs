// What each dependency and floor adds to the script-tag bundle, in rollup's rendered (unminified) bytes, per output
// file: the entry and each chunk it loads on demand. bench/metrics/bundle.mjs gives the minified bytes of the built
// entry from its source map.
import { rollup } from 'rollup';
import config from '../rollup.config.mjs';

const c = config[0];
const b = await rollup({ ...c, plugins: c.plugins.filter((p) => p.name !== 'terser' && p.name !== 'empty-folder') });
const { output } = await b.generate({ ...c.output, sourcemap: false });
for (const chunk of output.filter((item) => item.type === 'chunk')) {
  console.log(`${chunk.fileName}${chunk.isEntry ? ' (entry)' : ''}`);
  const agg = {};
  for (const [id, m] of Object.entries(chunk.modules)) {
    const path = id.split('node_modules/').pop();
    const key = id.includes('node_modules')
      ? path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/')
      : id.includes('/src/')
        ? id.slice(id.indexOf('/src/') + 1).split('/').slice(0, 2).join('/')
        : id.includes('/scripts/shims/')
          ? 'build shims'
          : id;
    agg[key] = (agg[key] || 0) + m.renderedLength;
  }
  for (const [k, v] of Object.entries(agg).sort((x, y) => y[1] - x[1])) console.log(String(v).padStart(8), k);
}
