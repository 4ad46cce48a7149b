import { rollup } from 'rollup';
import config from '../rollup.config.mjs';
import { gzipSync } from 'node:zlib';
const c = config[0];
const b = await rollup({ ...c, plugins: c.plugins.filter(p => p.name !== 'terser') });
const { output } = await b.generate({ format: 'iife', name: 'X' });
const mods = output[0].modules;
const agg = {};
for (const [id, m] of Object.entries(mods)) {
  const key = id.includes('node_modules') ? id.split('node_modules/').pop().split('/').slice(0, id.split('node_modules/').pop().startsWith('@') ? 2 : 1).join('/') : id.replace('', '').split('/').slice(0,2).join('/');
  agg[key] = (agg[key] || 0) + m.renderedLength;
}
for (const [k, v] of Object.entries(agg).sort((a, b) => b[1] - a[1])) console.log(String(v).padStart(8), k);
