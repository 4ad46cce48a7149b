import { css } from 'lit';

/** The lobby's styles (lobby.ts): the camera preview with its toggles and level meter, and the join form. */
export const styles = css`
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

  @container (max-width: 560px) {
    .lobby {
      grid-template-columns: minmax(0, 1fr);
      padding: 12px;
    }
  }
`;
