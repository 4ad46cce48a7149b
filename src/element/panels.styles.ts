import { css } from 'lit';

/** The file and chat panels' styles: they arrive with them (see lazy-views.ts). `.panel` itself is the element's. */
export const styles = css`
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
