import { css } from 'lit';

/** The quality indicator and the over-budget warning over the stage (quality-view.ts). */
export const styles = css`
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
`;
