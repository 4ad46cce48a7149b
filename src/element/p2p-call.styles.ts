import { styles as controls } from './controls.styles.js';
import { styles as host } from './host.styles.js';
import { styles as lobby } from './lobby.styles.js';
import { styles as quality } from './quality-view.styles.js';
import { styles as stage } from './stage.styles.js';

/**
 * The element's own styles, one sheet per view (the panels and problem screens bring theirs when they load, see
 * lazy-views.ts). Lit adopts them in this order, yet no outcome depends on it: where rules in two sheets set the same
 * property on one element, a more specific rule decides (the lobby's `.lobby-toggles .control` ones over `.control`).
 */
export const styles = [host, lobby, quality, stage, controls];
