// scripts/readme-tables.mjs: the element reference (docs/api.md) and the README's summary are generated from the
// manifest, the error codes from src/errors.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSummary, apiTables, errorCodes, updateRegion } from '../../scripts/readme-tables.mjs';

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

test('the summary lists each attribute and event with its first sentence, and the method names', () => {
  const summary = apiSummary(manifest);
  assert.match(summary, /^<!-- api-summary:start -->/u);
  assert.match(summary, /^- `ice-servers`: ICE servers\.$/mu);
  assert.match(summary, /^- `state`: Reflected\.$/mu);
  assert.match(summary, /^\*\*Methods\*\*: `sendFile\(\)`\.$/mu);
  assert.match(summary, /^- `x-error`: Failed\.$/mu);
  assert.doesNotMatch(summary, /secret|#hidden|styles|remoteStream/u);
});

test('the error codes come with their JSDoc, in source order', () => {
  const source = [
    'export const ErrorCode = {',
    '  /** The person refused. */',
    "  PermissionDenied: 'permission-denied',",
    '  /**',
    '   * A part could not be',
    '   * downloaded.',
    '   */',
    "  LoadFailed: 'load-failed',",
    '} as const;',
  ].join('\n');
  const table = errorCodes(source);
  assert.match(
    table,
    /\| `permission-denied` \| The person refused\. \|\n\| `load-failed` \| A part could not be downloaded\. \|/u,
  );
  assert.throws(() => errorCodes('export const ErrorCode = {} as const;'), /no documented/u);
});

test('only the region between its markers changes, and a page without them is refused', () => {
  const page = 'intro\n<!-- api-tables:start -->\nold\n<!-- api-tables:end -->\noutro\n';
  const region = apiTables(manifest);
  const updated = updateRegion(page, region);
  assert.equal(updated, `intro\n${region}\noutro\n`);
  assert.equal(updateRegion(updated, region), updated);
  assert.throws(() => updateRegion('no markers', region), /markers/u);
  assert.throws(() => updateRegion(page, apiSummary(manifest)), /api-summary/u);
});
