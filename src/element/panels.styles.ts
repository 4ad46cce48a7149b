import { css } from 'lit';

/** The styles of the views in panels.ts: they arrive with them (see lazy-views.ts). */
export const styles = css`
  .panel {
    border-top: 1px solid rgb(128 128 128 / 0.2); /* where light-dark() is missing */
    border-top: 1px solid light-dark(rgb(0 0 0 / 0.1), rgb(255 255 255 / 0.08));
    background: var(--p2p-call-background);
    padding: 6px 12px;
  }

  .panel ul,
  .panel ol {
    list-style: none;
    margin: 0;
    padding: 0;
    overflow-y: auto;
  }

  .settings {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 12px;
    align-items: end;
  }

  .settings .field {
    flex: 1 1 140px;
  }

  .hint {
    flex-basis: 100%;
    margin: 0;
    font-size: 12px;
    color: var(--p2p-call-muted-foreground);
  }

  .share-preview {
    left: 12px;
    bottom: 12px;
    width: 22%;
    min-width: 88px;
    aspect-ratio: 16 / 9;
    border-radius: calc(var(--p2p-call-radius) * 0.5);
    outline: 2px solid var(--p2p-call-accent);
    z-index: 2;
  }

  .share-preview .label {
    font-size: 10px;
    left: 4px;
    bottom: 4px;
  }

  .share-preview video {
    object-fit: contain;
  }

  .drop-hint {
    position: absolute;
    inset: 8px;
    z-index: 4;
    display: flex;
    gap: 8px;
    align-items: center;
    justify-content: center;
    border: 2px dashed var(--p2p-call-foreground);
    border-radius: var(--p2p-call-radius);
    background: rgb(0 0 0 / 0.6);
    font-size: 16px;
  }

  .files ul {
    max-height: 120px;
  }

  .files li {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto auto auto;
    gap: 2px 8px;
    align-items: center;
    padding: 4px 0;
  }

  .file-name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .file-status {
    color: var(--p2p-call-muted-foreground);
    font-size: 12px;
  }

  .files progress {
    grid-column: 1 / 3;
    width: 100%;
    height: 6px;
    accent-color: var(--p2p-call-accent);
  }

  .chat-lines {
    max-height: 160px;
    display: flex;
    flex-direction: column;
    gap: 4px;
    margin-bottom: 6px;
  }

  .chat-lines li {
    display: flex;
    gap: 6px;
    overflow-wrap: anywhere;
  }

  .chat-author {
    color: var(--p2p-call-muted-foreground);
    flex: none;
  }

  .chat form {
    display: flex;
    gap: 8px;
  }

  .chat input {
    flex: 1;
    min-width: 0;
    font: inherit;
    color: inherit;
    padding: 6px 10px;
    border-radius: 8px;
    border: 1px solid var(--p2p-call-muted-foreground);
    background: var(--p2p-call-surface);
  }
`;
