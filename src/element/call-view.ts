/**
 * The element once past the lobby: the stage (the other person, their share, your own tile, with the status, notice,
 * verification badge and quality over them), the panels, and the control bar. A template of its inputs, like
 * lobby.ts; the element and its controllers own the state behind it. Views from the chunks (panels, problem
 * screens) are asked for only when shown: asking is what loads them.
 */
import { html, nothing } from 'lit';
import type { ErrorDetail } from '../errors.js';
import type { MediaStateDetail } from '../session/call-events.js';
import { CallState, isActive } from '../session/call-state.js';
import { trackDeviceId, type DeviceKind, type DeviceLists } from '../session/devices.js';
import type { PeerInfo } from '../signaling/protocol.js';
import { canShareScreen } from './browser-support.js';
import type { Layout } from './call-config.js';
import type { StringKey, Translate } from './i18n/translate.js';
import {
  cameraOffIcon,
  chatIcon,
  fileIcon,
  fullscreenIcon,
  hangUpIcon,
  phoneIcon,
  pipIcon,
  screenIcon,
  settingsIcon,
  soundIcon,
} from './icons.js';
import type { LazyViews } from './lazy-views.js';
import type { MediaElementsController } from './media-elements-controller.js';
import type * as ProblemScreens from './media-problem.js';
import { hasProblemScreen, isMediaProblem } from './media-problem-codes.js';
import type * as Panels from './panels.js';
import { qualityIndicator, type ShownQuality } from './quality-view.js';
import { iconButton, micCameraToggles, toggleButton } from './toggle-button.js';
import type { TransfersController } from './transfers-controller.js';
import { srcObject } from './video-source.js';

/** The element's public state that the view shows: the element passes itself. */
export interface CallViewState {
  state: CallState;
  layout: Layout;
  muted: boolean;
  cameraOff: boolean;
  remotePeer?: PeerInfo;
  remoteStream?: MediaStream;
  remoteShareStream?: MediaStream;
  localShareStream?: MediaStream;
  outgoingStream?: MediaStream;
  verificationCode?: string;
  verified: boolean;
  verifiedByPeer: boolean;
}

/** The rest: the element's internal state and controllers, and what the controls do. */
export interface CallViewProps {
  t: Translate;
  remoteMedia: MediaStateDetail;
  error?: ErrorDetail;
  quality?: ShownQuality;
  settingsOpen: boolean;
  devices: DeviceLists;
  media: MediaElementsController;
  transfers: TransfersController;
  dragging: boolean;
  panels: LazyViews<typeof Panels>;
  problems: LazyViews<typeof ProblemScreens>;
  on: {
    join: () => void;
    leave: () => void;
    toggleMic: () => void;
    toggleCamera: () => void;
    toggleShare: () => void;
    toggleSettings: () => void;
    pickDevice: (kind: DeviceKind, id: string) => void;
    pickFiles: () => void;
    filesPicked: (event: Event) => void;
    cancelFile: (id: string) => void;
    sendChat: (text: string) => void;
    verify: () => void;
    dismissError: () => void;
  };
}

export function callView(call: CallViewState, p: CallViewProps) {
  const { t, media, transfers } = p;
  const { state } = call;
  const inCall = isActive(state);
  const connected = state === CallState.Connected;
  const sharing = Boolean(call.remoteShareStream) || media.hasAuxContent;
  const layout = sharing ? 'share-focused' : call.layout === 'side-by-side' ? 'side-by-side' : 'pip';
  const remoteName = call.remotePeer?.name ?? '';
  const rows = transfers.rows;
  return html`
    <div part="stage" class="stage ${layout} ${sharing ? 'sharing' : ''}">
      <div part="remote" class="tile remote">
        <slot name="remote" @slotchange=${media.handleSlotChange}>
          <video
            part="remote-video"
            class="remote-video"
            autoplay
            playsinline
            aria-label=${remoteName || t('remote')}
            .srcObject=${srcObject(media.builtInStream('remote'))}
            @loadedmetadata=${media.playRemote}
            @enterpictureinpicture=${media.handlePictureInPictureChange}
            @leavepictureinpicture=${media.handlePictureInPictureChange}
          ></video>
        </slot>
        ${connected && p.remoteMedia.cameraOff ? avatar(remoteName) : nothing} ${status(call, p)}
        ${connected ? remoteLabel(remoteName, p) : nothing}
      </div>
      <div part="aux" class="tile aux">
        <slot name="aux" @slotchange=${media.handleSlotChange}>
          <video
            part="aux-video"
            class="aux-video"
            autoplay
            playsinline
            .muted=${true}
            aria-label=${t('sharedBy', { name: remoteName || t('someone') })}
            .srcObject=${srcObject(media.builtInStream('aux'))}
          ></video>
        </slot>
      </div>
      <div part="local" class="tile local ${call.cameraOff ? 'camera-off' : ''}" ?hidden=${!inCall}>
        <slot name="local" @slotchange=${media.handleSlotChange}>
          <video
            part="local-video"
            autoplay
            playsinline
            aria-label=${t('you')}
            .muted=${true}
            .srcObject=${srcObject(media.builtInStream('local'))}
          ></video>
        </slot>
        ${call.cameraOff ? html`<span class="camera-off-icon">${cameraOffIcon}</span>` : nothing}
        <span class="label">${t('you')}${call.muted ? html` · ${t('micMuted')}` : nothing}</span>
      </div>
      ${call.localShareStream ? p.panels.views?.sharePreview(t, srcObject(call.localShareStream)) : nothing}
      ${connected ? qualityIndicator(t, p.quality) : nothing} ${connected ? verification(call, remoteName, p) : nothing}
      ${notice(state, p)} ${p.dragging ? p.panels.views?.dropHint(t) : nothing}
    </div>
    ${rows.length ? p.panels.views?.transfersPanel(t, rows, p.on.cancelFile, transfers.dismiss) : nothing}
    ${transfers.chatOpen ? p.panels.views?.chatPanel(t, transfers.chatLines, connected, p.on.sendChat) : nothing}
    ${p.settingsOpen && inCall ? settings(call, p) : nothing}
    <div part="controls" class="controls" role="toolbar" aria-label=${t('controls')}>
      ${inCall ? callControls(call, p) : joinButton(state, p)}
    </div>
    <input type="file" multiple hidden @change=${p.on.filesPicked} />
  `;
}

function avatar(name: string) {
  const initial = (name.trim()[0] ?? '?').toUpperCase();
  return html`<div class="avatar" aria-hidden="true"><span>${initial}</span></div>`;
}

function status({ state, remoteStream }: CallViewState, { t, error, problems }: CallViewProps) {
  if ((state === CallState.Connected || state === CallState.Connecting) && remoteStream) return nothing;
  const fatal = error && !error.recoverable && !isActive(state);
  if ((state === CallState.Error || fatal) && error) {
    // Problems the person can act on get the screen that says how, in this browser; others the message.
    return html`<div part="status" class="status" data-kind="error" role="alert">
      ${
        hasProblemScreen(error.code)
          ? problems.views?.mediaProblem(t, error.code, undefined, 'h2', false)
          : html`<strong>${t('status_error')}</strong> <span>${error.message}</span>`
      }
    </div>`;
  }
  return html`<div part="status" class="status">${t(`status_${state}`)}</div>`;
}

function remoteLabel(name: string, { t, remoteMedia }: CallViewProps) {
  const flags = [remoteMedia.muted ? t('micMuted') : '', remoteMedia.cameraOff ? t('cameraIsOff') : ''];
  return html`<span class="label remote-label">${[name || t('remote'), ...flags.filter(Boolean)].join(' · ')}</span>`;
}

function verification(call: CallViewState, remoteName: string, { t, on }: CallViewProps) {
  if (!call.verificationCode) return nothing;
  const peerHint = call.verifiedByPeer
    ? html`<span part="peer-verified" class="peer-verified"
        >${t('peerVerified', { name: remoteName || t('someone') })}</span
      >`
    : nothing;
  return html`<div part="verification" class="verification" title=${t('verificationHint')}>
    <span>${t('verificationCode')} <strong class="code">${call.verificationCode}</strong></span>
    ${
      call.verified
        ? html`<span class="verified">✓ ${t('verified')}</span>`
        : html`${peerHint}<button part="verify-button" class="link-button" @click=${on.verify}>
              ${t('codesMatch')}
            </button>`
    }
  </div>`;
}

function notice(state: CallState, { t, error, media, on }: CallViewProps) {
  if (media.soundBlocked) {
    return html`<div part="notice" class="notice">
      <span>${t('soundBlocked')}</span>
      <button part="sound-button" class="text-button" @click=${media.enableSound}>
        ${soundIcon} ${t('enableSound')}
      </button>
    </div>`;
  }
  if (!error?.recoverable || state === CallState.Error) return nothing;
  return html`<div part="notice" class="notice" role="alert">
    <span>${isMediaProblem(error.code) ? t(`problem_${error.code}` as StringKey) : error.message}</span>
    <button class="link-button" @click=${on.dismissError}>${t('dismiss')}</button>
  </div>`;
}

function settings({ outgoingStream }: CallViewState, { t, panels, devices, media, on }: CallViewProps) {
  const selected = {
    camera: trackDeviceId(outgoingStream?.getVideoTracks()[0]),
    microphone: trackDeviceId(outgoingStream?.getAudioTracks()[0]),
    speaker: media.speaker,
  };
  return panels.views?.settingsPanel(t, devices, selected, on.pickDevice);
}

function joinButton(state: CallState, { t, on }: CallViewProps) {
  return html`<button part="join-button" class="text-button" @click=${on.join}>
    ${phoneIcon} ${state === CallState.Idle ? t('join') : t('rejoin')}
  </button>`;
}

function callControls(call: CallViewState, { t, media, transfers, settingsOpen, on }: CallViewProps) {
  const connected = call.state === CallState.Connected;
  const sharing = Boolean(call.localShareStream);
  const unread = transfers.unreadChat;
  return html`
    ${micCameraToggles(t, call, on)}
    ${
      // Without getDisplayMedia (phones, older browsers) there is nothing to pick; a host's shareStream() can still be stopped.
      canShareScreen() || sharing
        ? toggleButton(
            'share-button',
            sharing,
            sharing ? t('stopSharing') : t('shareScreen'),
            screenIcon,
            on.toggleShare,
            !connected,
          )
        : nothing
    }
    ${iconButton('file-button', t('sendFile'), fileIcon, on.pickFiles, !connected)}
    ${toggleButton('chat-button', transfers.chatOpen, transfers.chatOpen ? t('closeChat') : t('openChat'), chatIcon, transfers.toggleChat)}
    ${unread ? html`<span class="badge" role="img" aria-label=${t('unread', { count: unread })}>${unread}</span>` : nothing}
    ${toggleButton('settings-button', settingsOpen, t('settings'), settingsIcon, on.toggleSettings)}
    ${
      media.canFullscreen
        ? toggleButton(
            'fullscreen-button',
            media.fullscreen,
            media.fullscreen ? t('exitFullscreen') : t('fullscreen'),
            fullscreenIcon,
            media.toggleFullscreen,
          )
        : nothing
    }
    ${
      media.canPictureInPicture
        ? toggleButton(
            'pip-button',
            media.pipActive,
            media.pipActive ? t('exitPip') : t('pip'),
            pipIcon,
            media.togglePictureInPicture,
            !call.remoteStream,
          )
        : nothing
    }
    ${iconButton('leave-button', t('leave'), hangUpIcon, on.leave, false, 'hang-up')}
  `;
}
