import { css } from 'lit';

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

  /* Video tiles stay dark in both themes: a camera picture reads best on black, and the labels over it are light. */
  .stage {
    color-scheme: dark;
    color: #f3f5f7;
    background: #0b0d10;
  }

  .lobby {
    flex: 1;
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
    gap: 16px;
    padding: 16px;
    align-items: center;
  }

  .lobby-preview {
    position: relative;
    aspect-ratio: 4 / 3;
    border-radius: calc(var(--p2p-call-radius) * 0.75);
    overflow: hidden;
    background: #0b0d10;
    color: #f3f5f7;
    color-scheme: dark;
  }

  .lobby-preview video {
    transform: scaleX(-1);
  }

  .lobby-toggles {
    position: absolute;
    left: 0;
    right: 0;
    bottom: 10px;
    display: flex;
    gap: 10px;
    justify-content: center;
    align-items: center;
  }

  .lobby-toggles .control {
    background: rgb(0 0 0 / 0.55);
  }

  .lobby-toggles .control[aria-pressed='true'] {
    background: #f3f5f7;
    color: #111418;
  }

  /* The level bar sits on the video: a light track with a green fill, readable on any camera picture. */
  .mic-level {
    appearance: none;
    width: 72px;
    height: 8px;
    border-radius: 4px;
    background: rgb(0 0 0 / 0.55);
    box-shadow: inset 0 0 0 1px rgb(255 255 255 / 0.5);
    overflow: hidden;
  }

  .mic-level::-webkit-meter-bar {
    background: transparent;
    border: 0;
  }

  .mic-level::-webkit-meter-optimum-value {
    background: #7ee2a8;
  }

  .mic-level::-moz-meter-bar {
    background: #7ee2a8;
  }

  .lobby-note {
    position: absolute;
    top: 8px;
    left: 8px;
    right: 8px;
    margin: 0;
    padding: 4px 10px;
    border-radius: 8px;
    background: rgb(0 0 0 / 0.6);
    font-size: 12px;
  }

  .lobby-form {
    display: flex;
    flex-direction: column;
    gap: 12px;
  }

  .lobby-form h2 {
    margin: 0;
    font-size: 20px;
  }

  .lobby-form .text-button {
    justify-content: center;
  }

  .field {
    display: flex;
    flex-direction: column;
    gap: 4px;
    font-size: 13px;
    color: var(--p2p-call-muted-foreground);
  }

  input,
  select {
    font: inherit;
    font-size: 14px;
    color: var(--p2p-call-foreground);
    min-height: 36px;
    padding: 6px 10px;
    border-radius: 8px;
    border: 1px solid var(--p2p-call-muted-foreground);
    background: var(--p2p-call-surface);
    min-width: 0;
  }

  .quality {
    position: absolute;
    left: 10px;
    top: 10px;
    z-index: 3;
    display: grid;
    place-items: center;
    padding: 4px 6px;
    border-radius: 999px;
    background: rgb(0 0 0 / 0.55);
    fill: #7ee2a8;
  }

  .quality[data-level='fair'] {
    fill: #fbbf24;
  }

  .quality[data-level='poor'] {
    fill: #f87171;
  }

  .sharing .quality {
    left: auto;
    right: 10px;
    top: 44px;
  }

  /* Below the top row (indicator, verification code), so it never covers them. */
  .quality-warning {
    position: absolute;
    left: 50%;
    top: 44px;
    transform: translateX(-50%);
    z-index: 3;
    width: max-content;
    max-width: calc(100% - 24px);
    padding: 4px 12px;
    border-radius: 8px;
    background: #7c2d12;
    color: #fff;
    font-size: 12px;
    text-align: center;
  }

  /* Side by side: the two cameras share the stage equally (stacked in a narrow container). */
  .side-by-side .remote {
    inset: 0 50% 0 0;
  }

  .side-by-side .local {
    inset: 0 0 0 50%;
    width: auto;
    min-width: 0;
    aspect-ratio: auto;
    border-radius: 0;
    box-shadow: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .stage {
    position: relative;
    flex: 1;
    overflow: hidden;
    border-radius: var(--p2p-call-radius) var(--p2p-call-radius) 0 0;
  }

  .controls {
    border-radius: 0 0 var(--p2p-call-radius) var(--p2p-call-radius);
  }

  .tile {
    position: absolute;
    overflow: hidden;
    background: var(--p2p-call-surface);
  }

  .remote {
    inset: 0;
  }

  .local {
    right: 12px;
    bottom: 12px;
    width: 28%;
    min-width: 96px;
    aspect-ratio: 4 / 3;
    border-radius: calc(var(--p2p-call-radius) * 0.75);
    box-shadow: 0 2px 12px rgb(0 0 0 / 0.4);
    z-index: 2;
  }

  .stage {
    min-height: 160px;
  }

  /* Share-focused layout: the shared screen fills the stage, the other person's camera shrinks to a corner. */
  .aux {
    inset: 0;
    display: none;
    background: #000;
  }

  .sharing .aux {
    display: block;
  }

  .sharing .remote {
    inset: 12px auto auto 12px;
    width: 22%;
    min-width: 88px;
    aspect-ratio: 4 / 3;
    border-radius: calc(var(--p2p-call-radius) * 0.75);
    z-index: 2;
    box-shadow: 0 2px 12px rgb(0 0 0 / 0.4);
  }

  .aux video,
  .aux ::slotted(video) {
    object-fit: contain;
    background: #000;
  }

  .avatar {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    background: var(--p2p-call-surface);
  }

  .avatar span {
    display: grid;
    place-items: center;
    width: min(30%, 120px);
    aspect-ratio: 1;
    border-radius: 50%;
    background: var(--p2p-call-accent);
    color: #fff;
    font-size: clamp(20px, 6cqw, 48px);
    font-weight: 600;
  }

  .camera-off-icon {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    color: var(--p2p-call-muted-foreground);
  }

  .verification {
    position: absolute;
    right: 8px;
    top: 8px;
    z-index: 3;
    display: flex;
    gap: 8px;
    align-items: center;
    padding: 2px 10px;
    border-radius: 999px;
    background: rgb(0 0 0 / 0.6);
    font-size: 12px;
  }

  .verification .code {
    font-variant-numeric: tabular-nums;
    letter-spacing: 0.05em;
  }

  .verified {
    color: #7ee2a8;
  }

  .peer-verified {
    color: #ffd479;
  }

  .badge {
    align-self: flex-start;
    margin-left: -18px;
    min-width: 18px;
    padding: 0 5px;
    border-radius: 999px;
    background: var(--p2p-call-danger);
    color: #fff;
    font-size: 11px;
    line-height: 18px;
    text-align: center;
  }

  video,
  ::slotted(video) {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: cover;
    background: var(--p2p-call-surface);
  }

  .local video {
    transform: scaleX(-1);
  }

  .local.camera-off video {
    visibility: hidden;
  }

  .label {
    position: absolute;
    left: 8px;
    bottom: 8px;
    padding: 2px 8px;
    border-radius: 999px;
    background: rgb(0 0 0 / 0.55);
    font-size: 12px;
    display: flex;
    gap: 6px;
    align-items: center;
  }

  .status {
    position: absolute;
    inset: 0;
    display: grid;
    place-content: center;
    gap: 12px;
    padding: 24px;
    text-align: center;
    color: var(--p2p-call-muted-foreground);
    font-size: 16px;
  }

  .status[data-kind='error'] {
    color: var(--p2p-call-foreground);
  }

  .status strong {
    display: block;
    color: var(--p2p-call-foreground);
    font-size: 18px;
  }

  .notice {
    position: absolute;
    left: 12px;
    right: 12px;
    top: 12px;
    z-index: 3;
    display: flex;
    gap: 12px;
    align-items: center;
    justify-content: space-between;
    padding: 8px 12px;
    border-radius: 8px;
    background: rgb(0 0 0 / 0.7);
  }

  .controls {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 12px;
    padding: 10px;
    background: var(--p2p-call-background);
  }

  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
    border: 0;
  }

  .control {
    display: inline-grid;
    place-items: center;
    width: var(--p2p-call-control-size);
    height: var(--p2p-call-control-size);
    border-radius: 50%;
    background: var(--p2p-call-surface);
  }

  .control[aria-pressed='true'] {
    background: var(--p2p-call-foreground);
    color: var(--p2p-call-background);
  }

  .control.hang-up {
    background: var(--p2p-call-danger);
    color: #fff;
  }

  .text-button {
    display: inline-flex;
    gap: 8px;
    align-items: center;
    min-height: var(--p2p-call-control-size);
    padding: 0 20px;
    border-radius: 999px;
    background: var(--p2p-call-accent);
    color: #fff;
    font-weight: 600;
  }

  .text-button.small {
    min-height: 32px;
    padding: 0 14px;
  }

  .link-button {
    background: none;
    color: inherit;
    text-decoration: underline;
    padding: 4px;
  }

  .icon-button {
    display: inline-grid;
    place-items: center;
    background: none;
    padding: 2px;
  }

  .icon-button svg {
    width: 16px;
    height: 16px;
  }

  button:disabled {
    opacity: 0.45;
    cursor: not-allowed;
  }

  button:focus-visible,
  a:focus-visible,
  input:focus-visible,
  select:focus-visible {
    outline: var(--p2p-call-focus-ring);
    outline-offset: 2px;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  @container (max-width: 560px) {
    .lobby {
      grid-template-columns: minmax(0, 1fr);
      padding: 12px;
    }
    .controls {
      gap: 6px;
      --p2p-call-control-size: 38px;
    }
  }

  @container (max-width: 420px) {
    .local {
      width: 34%;
      right: 8px;
      bottom: 8px;
    }
    .controls {
      gap: 4px;
      padding: 8px 4px;
      --p2p-call-control-size: 36px;
    }
    /* Too narrow for two columns: the cameras stack. */
    .side-by-side .remote {
      inset: 0 0 50% 0;
    }
    .side-by-side .local {
      inset: 50% 0 0 0;
    }
  }
`;
