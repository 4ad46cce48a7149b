import { css } from 'lit';

/** The camera/microphone problem screen's styles: they arrive with it (see lazy-views.ts). */
export const styles = css`
  .problem {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    justify-content: center;
    align-items: center;
    gap: 8px;
    padding: 16px;
    text-align: center;
    color: #f3f5f7;
  }

  .problem h2,
  .problem h3 {
    margin: 0;
    font-size: 17px;
  }

  .problem p {
    margin: 0;
    max-width: 42ch;
    color: #d5dbe1;
    line-height: 1.4;
  }
`;
