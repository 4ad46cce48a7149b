/**
 * Camera, microphone and speaker pickers: the same template in the lobby and in the in-call settings. The speaker
 * picker only appears where the browser can route audio (HTMLMediaElement.setSinkId) and lists an output.
 */
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { DeviceKind, DeviceLists } from '../session/devices.js';
import { canPickSpeaker } from './browser-support.js';
import type { Translate } from './i18n/translate.js';

export function devicePickers(
  t: Translate,
  devices: DeviceLists,
  selected: Partial<Record<DeviceKind, string>>,
  onPick: (kind: DeviceKind, id: string) => void,
) {
  const kinds: DeviceKind[] = canPickSpeaker() ? ['camera', 'microphone', 'speaker'] : ['camera', 'microphone'];
  return kinds.map((kind) => {
    const options = devices[kind];
    if (!options.length) return nothing;
    return html`<label class="field">
      <span>${t(kind)}</span>
      <select
        part=${`${kind}-select`}
        .value=${live(selected[kind] ?? options[0].id)}
        @change=${(event: Event) => onPick(kind, (event.target as HTMLSelectElement).value)}
      >
        ${options.map(
          (option, index) =>
            html`<option value=${option.id} ?selected=${option.id === selected[kind]}>
              ${option.label || (option.id === 'default' ? t('defaultDevice') : `${t(kind)} ${index + 1}`)}
            </option>`,
        )}
      </select>
    </label>`;
  });
}
