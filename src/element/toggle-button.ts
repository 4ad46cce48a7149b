import { html } from 'lit';
import type { Translate } from './i18n/translate.js';
import { cameraIcon, cameraOffIcon, micIcon, micOffIcon } from './icons.js';

/** A round icon button with a pressed state (aria-pressed) and a label that says what pressing it does. */
export function toggleButton(
  part: string,
  pressed: boolean,
  label: string,
  icon: unknown,
  onClick: () => void,
  disabled = false,
) {
  return html`<button
    part=${part}
    class="control"
    type="button"
    aria-pressed=${pressed ? 'true' : 'false'}
    aria-label=${label}
    title=${label}
    ?disabled=${disabled}
    @click=${onClick}
  >
    ${icon}
  </button>`;
}

/** A round icon button without a pressed state. */
export function iconButton(
  part: string,
  label: string,
  icon: unknown,
  onClick: () => void,
  disabled = false,
  extraClass = '',
) {
  return html`<button
    part=${part}
    class="control ${extraClass}"
    type="button"
    aria-label=${label}
    title=${label}
    ?disabled=${disabled}
    @click=${onClick}
  >
    ${icon}
  </button>`;
}

/** The microphone and camera toggles: the same pair in the lobby's preview and in the call's control bar. */
export function micCameraToggles(
  t: Translate,
  { muted, cameraOff }: { muted: boolean; cameraOff: boolean },
  on: { toggleMic: () => void; toggleCamera: () => void },
) {
  return html`${toggleButton('mic-button', muted, muted ? t('unmute') : t('mute'), muted ? micOffIcon : micIcon, on.toggleMic)}
  ${toggleButton('camera-button', cameraOff, cameraOff ? t('cameraOn') : t('cameraOff'), cameraOff ? cameraOffIcon : cameraIcon, on.toggleCamera)}`;
}
