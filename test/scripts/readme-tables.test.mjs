// scripts/readme-tables.mjs: the README's element reference is generated from the manifest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiTables, updateReadme } from '../../scripts/readme-tables.mjs';

const manifest = {
  modules: [
    {
      declarations: [
        {
          customElement: true,
          tagName: 'x-call',
          attributes: [
            {
              name: 'ice-servers',
              fieldName: 'iceServers',
              type: { text: 'RTCIceServer[] | null' },
              default: '[]',
              description: 'ICE\nservers.',
            },
            { name: 'state', description: 'Reflected.' },
          ],
          members: [
            { kind: 'field', name: 'iceServers', type: { text: 'RTCIceServer[] | null' } },
            { kind: 'field', name: 'state', type: { text: 'CallState' }, readonly: true },
            {
              kind: 'field',
              name: 'remoteStream',
              type: { text: 'MediaStream' },
              readonly: true,
              description: 'Theirs.',
            },
            { kind: 'field', name: 'secret', privacy: 'private' },
            { kind: 'field', name: '#hidden' },
            { kind: 'field', name: 'styles', static: true },
            {
              kind: 'method',
              name: 'sendFile',
              parameters: [
                { name: 'file', type: { text: 'Blob' } },
                { name: 'name', optional: true, type: { text: 'string' } },
              ],
              return: { type: { text: 'Promise<void>' } },
              description: 'Sends.',
            },
          ],
          events: [{ name: 'x-error', description: 'Failed.' }],
          slots: [{ name: 'remote', description: 'Their video.' }],
          cssParts: [{ name: 'controls', description: 'The bar.' }],
          cssProperties: [{ name: '--x-accent', default: '#0af', description: 'Accent.' }],
        },
      ],
    },
  ],
};

test('rows for attributes, property-only members, methods, events, slots, parts and custom properties', () => {
  const tables = apiTables(manifest);
  assert.match(
    tables,
    /\| `ice-servers` \| `iceServers` \| `RTCIceServer\[\] \\\| null` \| `\[\]` \| ICE servers\. \|/u,
  );
  assert.match(tables, /\| `state` \| `state` \(read-only\) \| `CallState` \| — \| Reflected\. \|/u);
  assert.match(tables, /\| — \| `remoteStream` \(read-only\) \| `MediaStream` \| — \| Theirs\. \|/u);
  assert.match(tables, /\| `sendFile\(file: Blob, name\?: string\): Promise<void>` \| Sends\. \|/u);
  assert.match(tables, /\| `x-error` \| — \| Failed\. \|/u);
  assert.match(tables, /\| `remote` \| Their video\. \|/u);
  assert.match(tables, /\| `controls` \| The bar\. \|/u);
  assert.match(tables, /\| `--x-accent` \| `#0af` \| Accent\. \|/u);
  assert.doesNotMatch(tables, /secret|#hidden|styles/u);
});

test('only the region between the markers changes, and a README without them is refused', () => {
  const readme = 'intro\n<!-- api-tables:start -->\nold\n<!-- api-tables:end -->\noutro\n';
  const region = apiTables(manifest);
  const updated = updateReadme(readme, region);
  assert.equal(updated, `intro\n${region}\noutro\n`);
  assert.equal(updateReadme(updated, region), updated);
  assert.throws(() => updateReadme('no markers', region), /markers/u);
});
