import { css } from 'lit';

/** The control bar (call-view.ts) and the controls everywhere in the element: buttons, fields and their focus ring. */
export const styles = css`
  .controls {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 12px;
    padding: 10px;
    border-radius: 0 0 var(--p2p-call-radius) var(--p2p-call-radius);
    background: var(--p2p-call-background);
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

  @container (max-width: 560px) {
    .controls {
      gap: 6px;
      --p2p-call-control-size: 38px;
    }
  }

  @container (max-width: 420px) {
    .controls {
      gap: 4px;
      padding: 8px 4px;
      --p2p-call-control-size: 36px;
    }
  }
`;
