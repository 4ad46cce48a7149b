// Story controls for every attribute the manifest (custom-elements.json) lists, and a directive that writes them on
// the element: an attribute added to the element gets a working control without touching the stories.
import { nothing } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';
import manifest from '../custom-elements.json';

interface Declaration {
  tagName?: string;
  attributes?: Array<{ name: string; type?: { text: string } }>;
  members?: Array<{ name: string; readonly?: boolean }>;
}

const element = (manifest.modules as Array<{ declarations?: Declaration[] }>)
  .flatMap((module) => module.declarations ?? [])
  .find((declaration) => declaration.tagName === 'p2p-call');
const readOnly = new Set(element?.members?.filter((member) => member.readonly).map((member) => member.name));

/** The attributes a host writes (a reflected read-only one, `state`, is the element's own). */
export const ATTRIBUTES = (element?.attributes ?? []).filter((attribute) => !readOnly.has(attribute.name));

/** A control from the manifest's type text: boolean, number, a union of string literals, or text. */
function controlFor(type = 'string') {
  if (/^boolean\b/u.test(type)) return { control: 'boolean' } as const;
  if (/^number\b/u.test(type)) return { control: 'number' } as const;
  const literals = type.split('|').map((part) => part.trim());
  if (literals.every((literal) => /^'[^']*'$/u.test(literal))) {
    return { control: 'select', options: literals.map((literal) => literal.slice(1, -1)) } as const;
  }
  return { control: 'text' } as const;
}

export const attributeArgTypes = Object.fromEntries(
  ATTRIBUTES.map((attribute) => [attribute.name, controlFor(attribute.type?.text)]),
);

/**
 * Writes each attribute arg on the element: true as a bare attribute; false, '' and undefined leave it out. Only
 * changed values are written, so an attribute the element reflects itself (`muted`) is not fought over.
 */
class SetAttributes extends Directive {
  #written = new Map<string, unknown>();

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('attributes() belongs in an element tag.');
  }

  render(_args: object) {
    return nothing;
  }

  override update(part: ElementPart, [args]: [object]) {
    for (const { name } of ATTRIBUTES) {
      const value = (args as Record<string, unknown>)[name];
      if (this.#written.has(name) && this.#written.get(name) === value) continue;
      this.#written.set(name, value);
      if (value === undefined || value === null || value === false || value === '') part.element.removeAttribute(name);
      else part.element.setAttribute(name, value === true ? '' : String(value));
    }
    return nothing;
  }
}

export const attributes = directive(SetAttributes);
