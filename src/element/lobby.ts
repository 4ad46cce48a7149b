/**
 * The pre-join lobby: a camera preview with the microphone level, mic/camera toggles, device pickers, the name
 * field and the Join button. A template of its inputs; the LobbyController owns the live media behind it.
 */
import { html, nothing } from 'lit';
import type { DeviceKind } from '../session/devices.js';
import { devicePickers } from './device-pickers.js';
import type { Translate } from './i18n/translate.js';
import { cameraOffIcon, phoneIcon } from './icons.js';
import type { LazyViews } from './lazy-views.js';
import type { LobbyController } from './lobby-controller.js';
import type * as ProblemScreens from './media-problem.js';
import { hasProblemScreen, isMediaProblem } from './media-problem-codes.js';
import { micCameraToggles } from './toggle-button.js';
import { srcObject } from './video-source.js';

/** What the lobby shows of the element's state: the element passes itself. */
export interface LobbyState {
  name: string;
  muted: boolean;
  cameraOff: boolean;
}

export interface LobbyProps {
  t: Translate;
  lobby: LobbyController;
  speaker?: string;
  problems: LazyViews<typeof ProblemScreens>;
  on: {
    name: (name: string) => void;
    toggleMic: () => void;
    toggleCamera: () => void;
    pickDevice: (kind: DeviceKind, id: string) => void;
    join: () => void;
  };
}

export function lobbyView(state: LobbyState, p: LobbyProps) {
  const { t, lobby, on } = p;
  const hasVideo = Boolean(lobby.stream?.getVideoTracks().length) && !state.cameraOff;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    on.join();
  };
  // Retrying cannot give this browser what it lacks: no retry button for `unsupported`.
  const retry = lobby.problem === 'unsupported' ? undefined : () => void lobby.start();
  return html`<section part="lobby" class="lobby" aria-labelledby="lobby-title">
    <div part="lobby-preview" class="lobby-preview">
      ${
        hasProblemScreen(lobby.problem)
          ? p.problems.views?.mediaProblem(t, lobby.problem, retry)
          : html`<video
                part="preview-video"
                autoplay
                playsinline
                .muted=${true}
                aria-label=${t('preview')}
                .srcObject=${srcObject(lobby.stream)}
              ></video>
              ${hasVideo ? nothing : html`<span class="camera-off-icon">${cameraOffIcon}</span>`}
              ${isMediaProblem(lobby.warning) ? html`<p class="lobby-note" role="status">${t(`problem_${lobby.warning}` as 'problem_no-device')}</p>` : nothing}
              <div class="lobby-toggles">
                ${micCameraToggles(t, state, on)}
                <meter part="mic-level" class="mic-level" min="0" max="1" value="0" aria-label=${t('micLevel')}></meter>
              </div>`
      }
    </div>
    <form class="lobby-form" @submit=${submit}>
      <h2 id="lobby-title">${t('lobbyTitle')}</h2>
      <label class="field">
        <span>${t('yourName')}</span>
        <input
          part="name-input"
          name="name"
          autocomplete="name"
          maxlength="64"
          .value=${state.name}
          @input=${(event: Event) => on.name((event.target as HTMLInputElement).value)}
        />
      </label>
      ${devicePickers(t, lobby.devices, { ...lobby.pick, speaker: p.speaker }, on.pickDevice)}
      <button part="join-button" class="text-button">${phoneIcon} ${t('join')}</button>
    </form>
  </section>`;
}
