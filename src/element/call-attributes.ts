import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { DEFAULT_FILE_LIMITS } from '../session/file-transfer/file-limits.js';
import { DEFAULT_RECOVERY_TIMEOUT_MS } from '../session/recovery-clock.js';
import type { RelayPolicy } from '../session/relay-policy.js';
import type { SignalingAdapter } from '../signaling/signaling-adapter.js';
import { byteSizeConverter, countConverter, iceServersConverter } from './attribute-converters.js';
import type { Layout } from './call-config.js';
import type { Strings } from './i18n/translate.js';

/**
 * The element's configuration: every attribute and property a host sets, with its default and accepted forms. The
 * element (p2p-call.component.ts) reads them when it joins and when they change; nothing here acts on its own.
 */
export class CallAttributes extends LitElement {
  /** The room both people join; any string of letters, digits, `_`, `-`, `.`, `:`. */
  @property({ reflect: true }) room = '';

  /**
   * How the two peers find each other: a `ws://`/`wss://` URL of the signaling server, or `broadcast` (tabs of one
   * browser). Assign a `SignalingAdapter` object to the property for anything else (e.g. `CallbackSignaling`).
   */
  @property() signaling: string | SignalingAdapter = '';

  /** Your display name, shown to the other person. */
  @property() name = '';

  /** A join token, when the signaling server requires one. */
  @property() token = '';

  /** ICE servers as a JSON array of RTCIceServer. Empty by default: direct connections only, no public STUN. */
  @property({ attribute: 'ice-servers', converter: iceServersConverter }) iceServers: RTCIceServer[] | null = [];

  /** Join as soon as the element is in the page. */
  @property({ attribute: 'auto-join', type: Boolean }) autoJoin = false;

  /** Microphone muted. Set it to mute; it also reflects the live state (true when there is no microphone). */
  @property({ type: Boolean, reflect: true }) muted = false;

  /** Camera off. Set it to turn the camera off; it also reflects the live state (true when there is no camera). */
  @property({ attribute: 'camera-off', type: Boolean, reflect: true }) cameraOff = false;

  /**
   * A stream to send instead of asking for camera and microphone (a canvas, a processed camera). Set before join().
   * The host keeps ownership: leave() does not stop its tracks.
   */
  @property({ attribute: false }) localStream?: MediaStream;

  /**
   * TURN relay policy: `allow` (default: relay only where the network forces it), `forbid` (never relay; TURN
   * servers are ignored and no relay candidate leaves the browser), `only` (always relay: hides both people's IP
   * addresses from each other; needs a TURN server).
   */
  @property() relay: RelayPolicy = 'allow';

  /**
   * Largest file sent or accepted, in bytes (1 GiB by default). Larger offers are refused with `file-too-large`. The
   * attribute also takes a unit: `10MB`, `1.5 GiB` (kB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB of 1024); any
   * other value is an `invalid-config` error and the limit stays as it was.
   */
  @property({ attribute: 'max-file-size', converter: byteSizeConverter }) maxFileSize: number =
    DEFAULT_FILE_LIMITS.maxFileSize;

  /**
   * How many incoming files may arrive at once (4 by default). Offers beyond it are refused as `busy` on both sides;
   * this side sends at most two at a time, so people dropping many files never meet it.
   */
  @property({ attribute: 'max-incoming-files', converter: countConverter }) maxIncomingFiles: number =
    DEFAULT_FILE_LIMITS.maxIncomingFiles;

  /**
   * How many bytes the files arriving at once may add up to (2 GiB by default; same forms as `max-file-size`).
   * Offers beyond it are refused as `busy` on both sides.
   */
  @property({ attribute: 'max-incoming-bytes', converter: byteSizeConverter }) maxIncomingBytes: number =
    DEFAULT_FILE_LIMITS.maxIncomingBytes;

  /**
   * How long to try restoring a broken connection before giving up with `connection-lost` (milliseconds,
   * 30000 by default). Meanwhile the state is `reconnecting`; the other person's return resumes the call anyway. A
   * first connection that finds no path at all is not retried: it ends with `unreachable` once the browser's checks
   * fail (~15 s), whatever this is.
   */
  @property({ attribute: 'recovery-timeout', type: Number }) recoveryTimeout: number = DEFAULT_RECOVERY_TIMEOUT_MS;

  /** Skip the pre-join lobby: the idle element shows only a Join button. (`auto-join` skips it too.) */
  @property({ attribute: 'no-lobby', type: Boolean }) noLobby = false;

  /**
   * Estimated one-way delay (ms) above which the call warns that people will talk over each other, and
   * `p2p-quality` says `overBudget`. 0 (default): no budget.
   */
  @property({ attribute: 'latency-budget', type: Number }) latencyBudget = 0;

  /** `light` or `dark` forces a colour scheme; anything else (default `auto`) follows the system setting. */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';

  /**
   * `auto` (default): share-focused while something is shared, picture-in-picture otherwise. `pip` or
   * `side-by-side` choose how the two cameras sit; a share always takes the large tile.
   */
  @property({ reflect: true }) layout: Layout = 'auto';

  /**
   * Your wording over the built-in language: any subset of the keys of `src/element/i18n/en.ts`, same `{name}`
   * placeholders. Language from `lang` (or an ancestor's): `en`, `de`, `zh-CN`, `es`, `fr`, `pt-BR`, `ja`, `hi` and
   * their regional tags; others get English.
   */
  @property({ attribute: false }) strings?: Partial<Strings>;
}
