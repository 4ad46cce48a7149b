/**
 * The pre-join lobby: a camera preview with the microphone level, mic/camera toggles, device pickers, the name
 * field and the Join button. A template of its inputs; the LobbyController owns the live media behind it.
 */
import { html, nothing } from 'lit';
import type { ErrorCode } from '../errors.js';
import type { DeviceKind } from '../session/devices.js';
import { devicePickers } from './device-pickers.js';
import type { Translate } from './i18n/translate.js';
import { cameraIcon, cameraOffIcon, micIcon, micOffIcon, phoneIcon } from './icons.js';
import type { LobbyController } from './lobby-controller.js';
import { isMediaProblem } from './media-problem-codes.js';
import { toggleButton } from './toggle-button.js';

export interface LobbyProps {
  t: Translate;
  lobby: LobbyController;
  name: string;
  muted: boolean;
  cameraOff: boolean;
  speaker?: string;
  srcObject: unknown;
  onName: (name: string) => void;
  onToggleMic: () => void;
  onToggleCamera: () => void;
  onPick: (kind: DeviceKind, id: string) => void;
  onJoin: () => void;
  /** The problem screen (loaded on demand: nothing until it is here), with a retry button. */
  problem: (code: ErrorCode, onRetry: () => void) => unknown;
}

export function lobbyView(p: LobbyProps) {
  const { t, lobby } = p;
  const hasVideo = Boolean(lobby.stream?.getVideoTracks().length) && !p.cameraOff;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    p.onJoin();
  };
  return html`<section part="lobby" class="lobby" aria-labelledby="lobby-title">
    <div part="lobby-preview" class="lobby-preview">
      ${isMediaProblem(lobby.problem)
        ? p.problem(lobby.problem, () => void lobby.start())
        : html`<video part="preview-video" autoplay playsinline .muted=${true} aria-label=${t('preview')} .srcObject=${p.srcObject}></video>
            ${hasVideo ? nothing : html`<span class="camera-off-icon">${cameraOffIcon}</span>`}
            ${isMediaProblem(lobby.warning) ? html`<p class="lobby-note" role="status">${t(`problem_${lobby.warning}` as 'problem_no-device')}</p>` : nothing}
            <div class="lobby-toggles">
              ${toggleButton('mic-button', p.muted, p.muted ? t('unmute') : t('mute'), p.muted ? micOffIcon : micIcon, p.onToggleMic)}
              ${toggleButton('camera-button', p.cameraOff, p.cameraOff ? t('cameraOn') : t('cameraOff'), p.cameraOff ? cameraOffIcon : cameraIcon, p.onToggleCamera)}
              <meter part="mic-level" class="mic-level" min="0" max="1" value="0" aria-label=${t('micLevel')}></meter>
            </div>`}
    </div>
    <form class="lobby-form" @submit=${submit}>
      <h2 id="lobby-title">${t('lobbyTitle')}</h2>
      <label class="field">
        <span>${t('yourName')}</span>
        <input part="name-input" name="name" autocomplete="name" maxlength="64" .value=${p.name} @input=${(event: Event) => p.onName((event.target as HTMLInputElement).value)} />
      </label>
      ${devicePickers(t, lobby.devices, { ...lobby.pick, speaker: p.speaker }, p.onPick)}
      <button part="join-button" class="text-button">${phoneIcon} ${t('join')}</button>
    </form>
  </section>`;
}
