// A rollup plugin that shrinks Lit's html`` and svg`` template literals: every run of whitespace in the static
// parts becomes one space. HTML renders a run of whitespace as one space anyway (the element has no <pre> or
// <textarea>), and the ${} bindings are untouched because only the quasis are rewritten, found through the AST
// rather than a regular expression, so nested templates inside bindings are handled too.
import MagicString from 'magic-string';
import { walk } from 'estree-walker';

const TAGS = new Set(['html', 'svg']);

export function minifyTemplates({ include = /\/src\/element\/.*\.ts$/u } = {}) {
  return {
    name: 'minify-templates',
    transform(code, id) {
      if (!include.test(id) || !/\b(html|svg)`/u.test(code)) return null;
      const ast = this.parse(code);
      const output = new MagicString(code);
      walk(ast, {
        enter(node) {
          if (node.type !== 'TaggedTemplateExpression' || node.tag.type !== 'Identifier' || !TAGS.has(node.tag.name)) return;
          for (const quasi of node.quasi.quasis) {
            const raw = code.slice(quasi.start, quasi.end);
            const minified = raw.replace(/\s+/gu, ' ');
            if (minified !== raw) output.overwrite(quasi.start, quasi.end, minified);
          }
        },
      });
      return { code: output.toString(), map: output.generateMap({ hires: true }) };
    },
  };
}
