/**
 * Template typings of <p2p-call> for Vue 3 (checked by vue-tsc / Vue - Official). Opt in once per project:
 * `import type {} from 'p2p-call/vue';`
 *
 * Vue sets a bound value (`:muted`, `:iceServers`) as a property when the element has one, as an attribute
 * otherwise, and `@p2p-state-change` listens to the DOM event of that name. Tell Vue's compiler the tag is a
 * custom element: `compilerOptions.isCustomElement: (tag) => tag === 'p2p-call'`.
 *
 * Bind by the camelCase property name (`:iceServers`, `:maxFileSize`): Vue's checker reads `ice-servers` as the
 * same prop, but at run time a kebab-case binding becomes an attribute, and an array in an attribute is lost.
 * Plain boolean attributes (`auto-join`, `muted`) are fine.
 */
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { P2PCall } from '../element/p2p-call.component.js';
import type { P2PEventMap } from '../element/call-dom-events.js';
import type { P2PCallProperties } from './element-props.js';

/** The element as Vue's template checker sees a component: props from `$props`, events from `$emit`. */
export type P2PCallVueComponent = new () => P2PCall & {
  /** @deprecated For template type checking only; not a property of the element. */
  $props: HTMLAttributes & P2PCallProperties & PublicProps;
  /** @deprecated For template type checking only; not a method of the element. */
  $emit: EmitFn<{ [K in keyof P2PEventMap]: (event: P2PEventMap[K]) => void }>;
};

declare module 'vue' {
  interface GlobalComponents {
    'p2p-call': P2PCallVueComponent;
  }
}
