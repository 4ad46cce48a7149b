/**
 * Framework-neutral prop types of <p2p-call>, derived from the element class and the one event map so they cannot
 * drift: a property, attribute or event added there appears here. The React and Vue typings build on these.
 */
import type { LitElement } from 'lit';
import type { P2PCall } from '../element/p2p-call.component.js';
import type { P2PEventMap } from '../element/call-dom-events.js';

type IfEquals<X, Y, Yes, No> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? Yes : No;

/** Keys of T that are not read-only (a getter without a setter counts as read-only). */
type WritableKeys<T> = {
  [K in keyof T]-?: IfEquals<{ [Q in K]: T[K] }, { -readonly [Q in K]: T[K] }, K, never>;
}[keyof T];

type OwnKeys = Exclude<keyof P2PCall, keyof LitElement>;

/** Names of the public properties a host may set: own, writable, not methods (`room`, `iceServers`, `muted`...). */
export type P2PCallPropertyName = {
  [K in OwnKeys]: P2PCall[K] extends (...args: never[]) => unknown ? never : K;
}[OwnKeys] &
  WritableKeys<P2PCall>;

/** The settable properties with their types: what a framework binds as properties. */
export type P2PCallProperties = { [K in P2PCallPropertyName]?: P2PCall[K] };

type Kebab<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `-${Lowercase<Head>}`}${Kebab<Tail>}`
  : S;

/** Properties that have no attribute twin (objects only a script can make). */
type PropertyOnly = {
  [K in P2PCallPropertyName]: NonNullable<P2PCall[K]> extends MediaStream ? K : never;
}[P2PCallPropertyName];

/**
 * The kebab-case attribute spellings (`ice-servers`, `auto-join`, `camera-off`, `max-file-size`) of camelCase
 * properties, for markup copied from HTML. Attribute values are strings; booleans are present or absent.
 */
export type P2PCallKebabAttributes = {
  [K in Exclude<P2PCallPropertyName, PropertyOnly> as Kebab<K> extends K ? never : Kebab<K>]?:
    string | boolean | number;
};

/** One listener prop per DOM event: `${prefix}p2p-state-change` and so on, typed by the event map. */
export type P2PCallEventProps<Prefix extends string> = {
  [K in keyof P2PEventMap as `${Prefix}${K}`]?: (event: P2PEventMap[K]) => void;
};
