// Writes the element reference tables of README.md from custom-elements.json (made by `npm run analyze`), between
// the api-tables marker comments, so the README cannot drift from the code's JSDoc. `--check` writes nothing and
// fails when the README differs from what the manifest says (run by `npm test` after the build).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const START = '<!-- api-tables:start -->';
const END = '<!-- api-tables:end -->';
const root = new URL('..', import.meta.url);

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
    .map(([title, lines]) => [`### ${title}`, '', ...lines].join('\n'))
    .join('\n\n');
}

/** The whole generated region, markers included. */
export function apiTables(manifest) {
  const elements = customElements(manifest);
  const body = elements
    .map((element) =>
      elements.length > 1 ? `## \`<${element.tagName}>\`\n\n${elementTables(element)}` : elementTables(element),
    )
    .join('\n\n');
  const note =
    '<!-- Generated from custom-elements.json by `npm run docs:readme`; edit the JSDoc, not this region. -->';
  return `${START}\n${note}\n\n${body}\n\n${END}`;
}

/** README text with the region replaced by `region` (from apiTables); throws when the markers are missing. */
export function updateReadme(readme, region) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}.`);
  return readme.slice(0, start) + region + readme.slice(end + END.length);
}

/** The region as Prettier would write it (padded table columns), so `npm run format` leaves it as it is. */
async function prettierRegion(region, readmePath) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(readmePath)) ?? {};
  return (await prettier.format(region, { ...options, parser: 'markdown' })).trimEnd();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const readmePath = fileURLToPath(new URL('README.md', root));
  const manifestPath = fileURLToPath(new URL('custom-elements.json', root));
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    console.error('No custom-elements.json: run `npm run analyze` first.');
    process.exit(1);
  }
  const readme = readFileSync(readmePath, 'utf8');
  const updated = updateReadme(readme, await prettierRegion(apiTables(manifest), readmePath));
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      console.error('README.md element reference is stale: run `npm run docs:readme` and commit the result.');
      process.exit(1);
    }
    console.log('README.md element reference matches custom-elements.json.');
  } else if (updated !== readme) {
    writeFileSync(readmePath, updated);
    console.log('README.md element reference updated from custom-elements.json.');
  } else {
    console.log('README.md element reference already up to date.');
  }
}
