/**
 * What the element shows of connection quality, reduced from `quality` events. Samples arrive every two seconds;
 * the element re-renders only when apply() says the shown value changed (level, route, budget state, or a figure
 * that moved more than its noise).
 */
import { html, nothing, svg } from 'lit';
import type { QualityDetail } from '../session/call-events.js';
import type { Translate } from './i18n/translate.js';
import type { SessionController } from './session-controller.js';

export interface ShownQuality {
  level: QualityDetail['level'];
  route: QualityDetail['route'];
  /** Round-trip time, rounded (see roundMs). */
  rtt: number;
  delay: number;
  budget: number;
  overBudget: boolean;
}

/** Whole ms below 20 ms, else 10 ms steps: finer steps would redraw on noise, coarser would show "0 ms". */
const roundMs = (ms: number) => (ms < 20 ? Math.round(ms) : Math.round(ms / 10) * 10);

/**
 * The shown figure stays until a sample moves more than 10 ms or a fifth away from it. Round-trip times wander by a
 * step or two from sample to sample (1 <-> 2 ms on a LAN, 40 <-> 50 ms across a country), and each change of the
 * shown figure is a re-render of the whole element; the level, which says what matters, changes at once.
 */
function steady(shown: number | undefined, next: number): number {
  return shown !== undefined && Math.abs(next - shown) <= Math.max(10, shown / 5) ? shown : next;
}

export class QualityView {
  shown?: ShownQuality;
  #key = '';

  /** Follows the session's samples; the other person leaving takes the indicator away. */
  follow(session: SessionController, host: { requestUpdate(): void }): this {
    // Redraw only when what is shown changes (the event is still dispatched for every sample).
    session.on('quality', (sample) => this.apply(sample) && host.requestUpdate());
    session.on('peer-leave', () => this.clear());
    return this;
  }

  /** Takes a sample; true when what is on screen must change. */
  apply(detail: QualityDetail): boolean {
    const shown: ShownQuality = {
      level: detail.level,
      route: detail.route,
      rtt: steady(this.shown?.rtt, roundMs(detail.rtt)),
      delay: steady(this.shown?.delay, roundMs(detail.delay)),
      budget: detail.budget,
      overBudget: detail.overBudget,
    };
    // The delay is only on screen in the over-budget warning.
    const key = [shown.level, shown.route, shown.rtt, shown.overBudget && shown.delay, shown.budget].join('|');
    this.shown = shown;
    if (key === this.#key) return false;
    this.#key = key;
    return true;
  }

  clear(): boolean {
    const had = Boolean(this.shown);
    this.shown = undefined;
    this.#key = '';
    return had;
  }
}

const BAR_HEIGHTS = [6, 11, 16];
const FILLED = { poor: 1, fair: 2, good: 3 };

/** The bars are svg`` templates: rects made by an html`` template land in the HTML namespace and never draw. */
export function qualityIndicator(t: Translate, shown: ShownQuality | undefined) {
  if (!shown) return nothing;
  const label = `${t(`quality_${shown.level}`)} · ${shown.rtt} ms · ${t(`route_${shown.route}`)}`;
  return html`<div
      part="quality"
      class="quality"
      data-level=${shown.level}
      role="img"
      aria-label=${label}
      title=${label}
    >
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
        ${BAR_HEIGHTS.map(
          (height, index) =>
            svg`<rect x=${index * 6} y=${16 - height} width="4" height=${height} rx="1" opacity=${index < FILLED[shown.level] ? 1 : 0.3}></rect>`,
        )}
      </svg>
    </div>
    ${
      shown.overBudget
        ? html`<div part="quality-warning" class="quality-warning" role="status">
            ${t('overBudget', { delay: shown.delay, budget: shown.budget })}
          </div>`
        : nothing
    }`;
}
