import { html } from 'lit';

/** A round icon button with a pressed state (aria-pressed) and a label that says what pressing it does. */
export function toggleButton(part: string, pressed: boolean, label: string, icon: unknown, onClick: () => void, disabled = false) {
  return html`<button part=${part} class="control" type="button" aria-pressed=${pressed ? 'true' : 'false'} aria-label=${label} title=${label} ?disabled=${disabled} @click=${onClick}>
    ${icon}
  </button>`;
}

/** A round icon button without a pressed state. */
export function iconButton(part: string, label: string, icon: unknown, onClick: () => void, disabled = false, extraClass = '') {
  return html`<button part=${part} class="control ${extraClass}" type="button" aria-label=${label} title=${label} ?disabled=${disabled} @click=${onClick}>
    ${icon}
  </button>`;
}
