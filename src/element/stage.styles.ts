import { css } from 'lit';

/**
 * The stage (call-view.ts): the video tiles in their three layouts (picture-in-picture, side by side, share-focused)
 * and what sits on them: names, the avatar, the status, a notice and the verification badge.
 */
export const styles = css`
  .stage {
    position: relative;
    flex: 1;
    min-height: 160px;
    overflow: hidden;
    border-radius: var(--p2p-call-radius) var(--p2p-call-radius) 0 0;
    /* Video tiles stay dark in both themes: a camera picture reads best on black, and the labels over it are light. */
    color-scheme: dark;
    color: #f3f5f7;
    background: #0b0d10;
  }

  .tile {
    position: absolute;
    overflow: hidden;
    background: var(--p2p-call-surface);
  }

  .remote {
    inset: 0;
  }

  /* A small tile in a corner: your own camera, or the other person's while a share fills the stage. */
  .local,
  .sharing .remote {
    aspect-ratio: 4 / 3;
    border-radius: calc(var(--p2p-call-radius) * 0.75);
    box-shadow: 0 2px 12px rgb(0 0 0 / 0.4);
    z-index: 2;
  }

  .local {
    right: 12px;
    bottom: 12px;
    width: 28%;
    min-width: 96px;
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
  }

  .aux video,
  .aux ::slotted(video) {
    object-fit: contain;
    background: #000;
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

  /* Over a tile without a picture: the other person's initial, or the camera-off icon (also in the lobby). */
  .avatar,
  .camera-off-icon {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
  }

  .avatar {
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
    color: var(--p2p-call-muted-foreground);
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

  @container (max-width: 420px) {
    .local {
      width: 34%;
      right: 8px;
      bottom: 8px;
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
