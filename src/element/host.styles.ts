import { css } from 'lit';

/**
 * The host box, the custom properties a page themes the element with, and the light and dark themes; and what holds
 * for every element inside.
 */
export const styles = css`
  /* Light and dark defaults in one declaration each: light-dark() follows color-scheme, which follows the system
     unless the theme attribute forces one. A host overrides any of them with plain CSS on the element. */
  :host {
    color-scheme: light dark;
    --p2p-call-background: light-dark(#f4f6f8, #111418);
    --p2p-call-surface: light-dark(#e2e7ec, #1d2228);
    --p2p-call-foreground: light-dark(#14181d, #f3f5f7);
    --p2p-call-muted-foreground: light-dark(#4c5763, #aab3bd);
    --p2p-call-accent: light-dark(#1d4ed8, #2563eb);
    --p2p-call-danger: #dc2626;
    --p2p-call-warning: light-dark(#8a4b00, #fbbf24);
    --p2p-call-radius: 12px;
    --p2p-call-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --p2p-call-control-size: 44px;
    --p2p-call-focus-ring: 3px solid light-dark(#1d4ed8, #8ab4ff);
    --p2p-call-aspect-ratio: 16 / 10;

    display: flex;
    flex-direction: column;
    position: relative;
    box-sizing: border-box;
    min-width: 300px;
    /* No overflow clipping here: with aspect-ratio, a visible overflow lets the element grow to fit its panels
       and controls instead of cutting them off. The stage clips its own corners. */
    aspect-ratio: var(--p2p-call-aspect-ratio);
    border-radius: var(--p2p-call-radius);
    background: var(--p2p-call-background);
    color: var(--p2p-call-foreground);
    font-family: var(--p2p-call-font);
    font-size: 14px;
    container-type: inline-size;
  }

  :host([hidden]) {
    display: none;
  }

  :host([theme='light']) {
    color-scheme: light;
  }

  :host([theme='dark']) {
    color-scheme: dark;
  }

  /* Browsers without light-dark() (Safari before 17.5, Chromium before 123, Firefox before 120) would drop every
     colour above: they get the same colours from here, dark where the system or the theme attribute asks for it. */
  @supports not (color: light-dark(#000, #fff)) {
    :host {
      --p2p-call-background: #f4f6f8;
      --p2p-call-surface: #e2e7ec;
      --p2p-call-foreground: #14181d;
      --p2p-call-muted-foreground: #4c5763;
      --p2p-call-accent: #1d4ed8;
      --p2p-call-warning: #8a4b00;
      --p2p-call-focus-ring: 3px solid #1d4ed8;
    }

    @media (prefers-color-scheme: dark) {
      :host(:not([theme='light'])) {
        --p2p-call-background: #111418;
        --p2p-call-surface: #1d2228;
        --p2p-call-foreground: #f3f5f7;
        --p2p-call-muted-foreground: #aab3bd;
        --p2p-call-accent: #2563eb;
        --p2p-call-warning: #fbbf24;
        --p2p-call-focus-ring: 3px solid #8ab4ff;
      }
    }

    :host([theme='dark']) {
      --p2p-call-background: #111418;
      --p2p-call-surface: #1d2228;
      --p2p-call-foreground: #f3f5f7;
      --p2p-call-muted-foreground: #aab3bd;
      --p2p-call-accent: #2563eb;
      --p2p-call-warning: #fbbf24;
      --p2p-call-focus-ring: 3px solid #8ab4ff;
    }
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
