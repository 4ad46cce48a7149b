// Writes the element's documentation regions from the code, between marker comments, so the docs cannot drift from
// it: the whole reference in docs/api.md (from custom-elements.json, made by `npm run analyze`) with the error codes
// (from src/errors.ts), and the short attribute/method/event summary in README.md. `--check` writes nothing and fails
// when a file differs from what the code says (run by `npm test` after the build).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('..', import.meta.url);
const markers = (name) => [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];

/** One table cell: a single line, pipes escaped (also inside code spans: GitHub splits cells on them first). */
const cell = (text) =>
  (text ?? '')
    .replace(/\s*\n\s*/gu, ' ')
    .replace(/\|/gu, '\\|')
    .trim() || '—';
const code = (text) => (text ? `\`${text}\`` : '');
const table = (headers, rows) =>
  rows.length === 0
    ? []
    : [
        `| ${headers.join(' | ')} |`,
        `| ${headers.map(() => '---').join(' | ')} |`,
        ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
      ];

const isPublic = (member) =>
  member.privacy !== 'private' && member.privacy !== 'protected' && !member.name.startsWith('#') && !member.static;

/** The declarations of the manifest that define a tag (a base class such as CallAttributes has none), in module order. */
export function customElements(manifest) {
  return manifest.modules.flatMap((module) =>
    (module.declarations ?? []).filter((declaration) => declaration.customElement && declaration.tagName),
  );
}

function signature(method) {
  const parameters = (method.parameters ?? [])
    .map(
      (parameter) =>
        `${parameter.rest ? '...' : ''}${parameter.name}${parameter.optional ? '?' : ''}${parameter.type ? `: ${parameter.type.text}` : ''}`,
    )
    .join(', ');
  return `${method.name}(${parameters})${method.return?.type ? `: ${method.return.type.text}` : ''}`;
}

/** The first sentence of a description: what a summary row has room for. */
const firstSentence = (text) => (text ?? '').replace(/\s*\n\s*/gu, ' ').split(/(?<=\.)\s+(?=[A-Z`])/u)[0];

/** The Markdown for one element: attributes and properties, methods, events, slots, parts, custom properties. */
export function elementTables(element) {
  const members = (element.members ?? []).filter(isPublic);
  const fields = members.filter((member) => member.kind === 'field');
  const methods = members.filter((member) => member.kind === 'method');
  const attributes = element.attributes ?? [];
  const fieldOf = (attribute) => fields.find((field) => field.name === (attribute.fieldName ?? attribute.name));
  const withAttribute = new Set(attributes.map((attribute) => fieldOf(attribute)?.name).filter(Boolean));
  const readOnly = (field) => (field?.readonly ? ' (read-only)' : '');

  const propertyRows = [
    ...attributes.map((attribute) => {
      const field = fieldOf(attribute);
      return [
        code(attribute.name),
        field ? code(field.name) + readOnly(field) : '',
        code((attribute.type ?? field?.type)?.text),
        code(attribute.default ?? field?.default),
        attribute.description || field?.description,
      ];
    }),
    ...fields
      .filter((field) => !withAttribute.has(field.name))
      .map((field) => [
        '',
        code(field.name) + readOnly(field),
        code(field.type?.text),
        code(field.default),
        field.description,
      ]),
  ];
  const sections = [
    ['Attributes and properties', table(['Attribute', 'Property', 'Type', 'Default', 'Description'], propertyRows)],
    [
      'Methods',
      table(
        ['Method', 'Description'],
        methods.map((method) => [code(signature(method)), method.description]),
      ),
    ],
    [
      'Events',
      table(
        ['Event', 'Type', 'Description'],
        (element.events ?? []).map((event) => [code(event.name), code(event.type?.text), event.description]),
      ),
    ],
    [
      'Slots',
      table(
        ['Slot', 'Description'],
        (element.slots ?? []).map((slot) => [slot.name ? code(slot.name) : '(default)', slot.description]),
      ),
    ],
    [
      'CSS parts',
      table(
        ['Part', 'Description'],
        (element.cssParts ?? []).map((part) => [code(part.name), part.description]),
      ),
    ],
    [
      'CSS custom properties',
      table(
        ['Property', 'Default', 'Description'],
        (element.cssProperties ?? []).map((property) => [
          code(property.name),
          code(property.default),
          property.description,
        ]),
      ),
    ],
  ];
  return sections
    .filter(([, lines]) => lines.length > 0)
    .map(([title, lines]) => [`## ${title}`, '', ...lines].join('\n'))
    .join('\n\n');
}

const GENERATED = (source) =>
  `<!-- Generated from ${source} by \`npm run docs:readme\`; edit that, not this region. -->`;

/** A generated region: markers, the note saying where it comes from, the body. */
const region = (name, source, body) => {
  const [start, end] = markers(name);
  return `${start}\n${GENERATED(source)}\n\n${body}\n\n${end}`;
};

/** docs/api.md's reference: every public member of every element in the manifest. */
export function apiTables(manifest) {
  const elements = customElements(manifest);
  const body = elements
    .map((element) =>
      elements.length > 1 ? `# \`<${element.tagName}>\`\n\n${elementTables(element)}` : elementTables(element),
    )
    .join('\n\n');
  return region('api-tables', "custom-elements.json (the elements' JSDoc)", body);
}

/** README.md's summary of the first element: each attribute and event with the first sentence of its description,
 * and the method names; the rest is in docs/api.md. Lists, not tables: Prettier pads every row of a table to its
 * longest, which would triple the bytes a reader scrolls through. */
export function apiSummary(manifest) {
  const [element] = customElements(manifest);
  const methods = (element.members ?? []).filter((member) => member.kind === 'method' && isPublic(member));
  const item = (name, description) => `- ${code(name)}: ${firstSentence(description) || '—'}`;
  const body = [
    '**Attributes**',
    '',
    ...(element.attributes ?? []).map((attribute) => item(attribute.name, attribute.description)),
    '',
    `**Methods**: ${methods.map((method) => code(`${method.name}()`)).join(', ')}.`,
    '',
    '**Events**',
    '',
    ...(element.events ?? []).map((event) => item(event.name, event.description)),
  ].join('\n');
  return region('api-summary', "custom-elements.json (the element's JSDoc)", body);
}

/** The error codes of `ErrorCode` in src/errors.ts with their JSDoc, in their order there. */
export function errorCodes(source) {
  const object = source.slice(source.indexOf('export const ErrorCode = {'));
  const body = object.slice(0, object.indexOf('} as const'));
  const rows = [...body.matchAll(/\/\*\*([\s\S]*?)\*\/\s*\w+: '([a-z-]+)'/gu)].map(([, doc, value]) => [
    code(value),
    doc.replace(/^\s*\*\s?/gmu, ' ').trim(),
  ]);
  if (rows.length === 0) throw new Error('src/errors.ts: no documented ErrorCode entries found.');
  return region('error-codes', 'src/errors.ts', table(['Code', 'Meaning'], rows).join('\n'));
}

/** `text` with the region called `name` replaced by `generated` (from the functions above); throws when the
 * markers are missing. */
export function updateRegion(text, generated) {
  const [start, end] = markers(generated.slice('<!-- '.length, generated.indexOf(':start -->')));
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`needs the markers ${start} and ${end}.`);
  return text.slice(0, from) + generated + text.slice(to + end.length);
}

/** A region as Prettier would write it (padded table columns), so `npm run format` leaves it as it is. */
async function prettierRegion(generated, path) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(path)) ?? {};
  return (await prettier.format(generated, { ...options, parser: 'markdown' })).trimEnd();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const read = (path) => readFileSync(fileURLToPath(new URL(path, root)), 'utf8');
  let manifest;
  try {
    manifest = JSON.parse(read('custom-elements.json'));
  } catch {
    console.error('No custom-elements.json: run `npm run analyze` first.');
    process.exit(1);
  }
  const targets = {
    'docs/api.md': [apiTables(manifest), errorCodes(read('src/errors.ts'))],
    'README.md': [apiSummary(manifest)],
  };
  const check = process.argv.includes('--check');
  let stale = false;
  for (const [file, regions] of Object.entries(targets)) {
    const path = fileURLToPath(new URL(file, root));
    const text = readFileSync(path, 'utf8');
    let updated = text;
    for (const generated of regions) {
      try {
        updated = updateRegion(updated, await prettierRegion(generated, path));
      } catch (error) {
        console.error(`${file} ${error.message}`);
        process.exit(1);
      }
    }
    if (updated === text) console.log(`${file}: the element reference matches the code.`);
    else if (check) {
      console.error(`${file}: the element reference is stale: run \`npm run docs:readme\` and commit the result.`);
      stale = true;
    } else {
      writeFileSync(path, updated);
      console.log(`${file}: the element reference updated from the code.`);
    }
  }
  if (stale) process.exit(1);
}
