/**
 * JSX typings of <p2p-call> for React 19. Opt in once per project: `import type {} from 'p2p-call/react';`
 *
 * React 19 sets a prop on a custom element as a property when the element has one (`iceServers={[]}`,
 * `muted={true}`), as an attribute otherwise, and turns a function prop named `on` + the exact event name into an
 * event listener: `onp2p-state-change={...}` listens to `p2p-state-change` (the event name is taken verbatim, so
 * it is all lower case, unlike `onClick`).
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { P2PCall } from '../element/p2p-call.component.js';
import type { P2PCallEventProps, P2PCallKebabAttributes, P2PCallProperties } from './element-props.js';

/** Props of `<p2p-call>` in React: the usual HTML props, the element's properties, attributes and events. */
export type P2PCallReactProps = DetailedHTMLProps<HTMLAttributes<P2PCall>, P2PCall> &
  P2PCallProperties &
  P2PCallKebabAttributes &
  P2PCallEventProps<'on'>;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'p2p-call': P2PCallReactProps;
    }
  }
}
