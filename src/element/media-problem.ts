/**
 * The actionable screen for a camera/microphone problem: what happened, and what to do about it in this browser.
 * Permission instructions differ per browser because the re-allow control sits in a different place in each.
 * A chunk of its own in the script-tag bundle, loaded when a problem happens (lazy-views.ts).
 */
import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { ErrorCode } from '../errors.js';
import type { StringKey, Translate } from './i18n/translate.js';

export type BrowserFamily = 'chrome' | 'firefox' | 'safari' | 'other';

export function browserFamily(userAgent = globalThis.navigator?.userAgent ?? ''): BrowserFamily {
  if (/Firefox\//u.test(userAgent)) return 'firefox';
  if (/Chrome\/|Chromium\/|Edg\//u.test(userAgent)) return 'chrome'; // Edge, Opera and Brave share Chrome's icon
  if (/Safari\//u.test(userAgent)) return 'safari';
  return 'other';
}

export { styles } from './media-problem.styles.js';

/** `alert` off when the caller's container is already the alert (the error status), so it is announced once. */
/** Without `onRetry` there is no retry button (the error state's control bar already offers "Join again"). */
export function mediaProblem(t: Translate, code: ErrorCode, onRetry?: () => void, headingLevel: 'h2' | 'h3' = 'h3', alert = true) {
  const title = t(`problem_${code}` as StringKey);
  const steps = code === 'permission-denied' ? t(`allow_${browserFamily()}`) : t(`fix_${code}` as StringKey);
  return html`<div part="problem" class="problem" role=${ifDefined(alert ? 'alert' : undefined)} data-code=${code}>
    ${headingLevel === 'h2' ? html`<h2>${title}</h2>` : html`<h3>${title}</h3>`}
    <p>${steps}</p>
    ${onRetry ? html`<button part="retry-button" class="text-button small" @click=${onRetry}>${t('tryAgain')}</button>` : nothing}
  </div>`;
}
