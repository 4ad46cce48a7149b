/**
 * One remote peer, and the connection to it over time: which side offers, opening a link and replacing it, the
 * restart protocol, recovery of a broken media path, the stall watchdog, and what arrives on the link (streams and
 * the peer's messages). The room holds one supervisor per remote peer.
 *
 * Offerer choice: the participant with the smaller id makes the offer, so both sides agree without a round trip and
 * never offer at once. Every signal names the link it belongs to, so nothing from a replaced link is applied to its
 * successor. The answerer asks for a fresh link with a `restart` signal (naming the link it lost, if any).
 *
 * Recovery: once connected the call needs no server. When the media path breaks (ICE failed, or disconnected with no
 * bytes for a few seconds, or the transport closed without a `bye`), the offerer builds a fresh link and negotiates
 * it through signaling; the answerer asks it to. Attempts repeat on the recovery clock until the deadline, after
 * which the peer is dropped (`connection-lost`) and the call waits for it again. A first connection that fails after
 * ICE checked every pair is not retried: the peer is dropped at once (`unreachable`; see UnreachableWatch).
 */
import { ErrorCode, P2PCallError } from '../errors.js';
import type { PeerInfo, SignalPayload } from '../signaling/signaling-adapter.js';
import type { CallEventMap, ReconnectReason } from './call-events.js';
import type { PeerFacts } from './call-state.js';
import { randomId } from './ids.js';
import type { Link } from './link.js';
import type { LinkServices } from './link-services.js';
import { LinkWatch } from './link-watch.js';
import type { MediaAnnouncement } from './local-media.js';
import { encodePeerMessage, receivePeerFrame } from './peer-channel.js';
import type { PeerMessage } from './peer-messages.js';
import { isRelayCandidate, type RelayPolicy } from './relay-policy.js';
import { RecoveryClock } from './recovery-clock.js';
import { RemoteStreams, type RemoteStreamChanges } from './remote-streams.js';
import { carriesCandidate, UnreachableWatch } from './unreachable-watch.js';

/** The session's own signal (not the peer library's): the answerer asks the offerer for a fresh link. */
const RESTART = 'restart';
/** How long a new link may sit with ICE not even checking before it is replaced (see #watchForStall). */
export const STALL_TIMEOUT_MS = 10_000;
/** How long an offerer waits for the answer to its offer when the peer reconnects during a recovery (see rejoined). */
export const REJOIN_ANSWER_WAIT_MS = 500;
/**
 * The wait, once the peer's held signals have begun to arrive without that answer: they are sent back to back, in the
 * order written, so an answer written after them is milliseconds behind (see #handleRestartRequest).
 */
export const REJOIN_FLUSH_WAIT_MS = 100;

type PeerEvents =
  | 'reconnecting'
  | 'recovered'
  | 'remote-stream'
  | 'remote-media'
  | 'share-start'
  | 'share-end'
  | 'data'
  | 'chat'
  | 'error';

export interface SupervisorContext {
  selfId(): string;
  /** True while this side is in the room (joined, not left). */
  active(): boolean;
  relay: RelayPolicy;
  recoveryTimeout: number;
  /** A link for this peer: the session's spare when it fits, else a new one. */
  newLink(): Link;
  /** What lives with a link (files, verification, route, quality). */
  newServices(link: Link, supervisor: LinkSupervisor): LinkServices;
  sendSignal(to: string, payload: SignalPayload): void;
  /** The media path broke here: the network may have changed under the signaling channel too. */
  checkSignaling(): void;
  /** How many frames of a stream this page has shown (see CallSessionOptions.shownFrames); undefined: not known. */
  shownFrames(stream: MediaStream): number | undefined;
  emit<K extends PeerEvents>(name: K, detail: CallEventMap[K]): void;
  /** A fact the call state depends on changed. */
  changed(): void;
  localMedia(): MediaAnnouncement;
  shareTrack(): MediaStreamTrack | undefined;
  /** The peer is gone (it said bye, left with no working link, or could not be recovered). */
  dropped(supervisor: LinkSupervisor): void;
}

export class LinkSupervisor {
  /** The peer is in the room as far as signaling knows (false after `peer-left` or `bye`). */
  present = true;
  #link?: Link;
  #services?: LinkServices;
  #wasConnected = false;
  /** Set while a broken media path is being replaced. */
  #recovery?: RecoveryClock;
  /** Watches the connected link for a media path that died without closing. */
  #watch?: LinkWatch;
  /** Watches a link to a peer never connected to for the failure that shows no path exists (see UnreachableWatch). */
  #unreachableWatch?: UnreachableWatch;
  #stallTimer?: ReturnType<typeof setTimeout>;
  /** The answerer's link that a running recovery replaces (the offerer knows it by this id). */
  #lostLinkId?: string;
  /** This side's candidates for the current link, as sent (sent again when the peer's signaling reconnects). */
  #sentCandidates: SignalPayload[] = [];
  /** This side's offer for the current link has gone out (it may have gone to a socket of the peer's that died). */
  #offerSent = false;
  /** Set while waiting for the answer after the peer's return (rejoined): cuts the wait short. */
  #rejoinWait?: () => void;
  readonly #streams = new RemoteStreams();
  #closed = false;

  constructor(
    readonly peer: PeerInfo,
    private readonly context: SupervisorContext,
  ) {}

  get facts(): PeerFacts {
    return { connected: this.connected, wasConnected: this.#wasConnected };
  }

  /** The link is up and no recovery is running. */
  get connected(): boolean {
    return Boolean(this.#link?.connected) && !this.#recovery;
  }

  get link(): Link | undefined {
    return this.#link;
  }

  get services(): LinkServices | undefined {
    return this.#services;
  }

  get remoteCamera(): MediaStream | undefined {
    return this.#streams.camera;
  }

  get remoteShare(): MediaStream | undefined {
    return this.#streams.aux;
  }

  get #offerer(): boolean {
    return this.context.selfId() < this.peer.id;
  }

  /** Connects (again): the offerer opens a link unless a working one is there; the answerer asks for one. */
  connect(): void {
    if (this.#offerer) {
      if (!this.#link || this.#link.closed || this.#recovery) this.#open(randomId(), true);
    } else {
      // Naming the link lost in a recovery: an offerer already negotiating a newer one ignores a repeated request.
      this.#sendSignal({ type: RESTART, link: this.#link?.id ?? this.#lostLinkId });
    }
  }

  /**
   * The peer is back in signaling: it reconnected, or this side did (`theyJoined` false). After a server restart the
   * link is fine; after a reload or a loss it is not: connect again. During a recovery, only when the peer is the one
   * that reconnected: what was sent to it meanwhile may be lost with its old socket. When this side reconnected, what
   * it wrote meanwhile was held and has just gone out, and the peer, told of its return, connects again itself:
   * doing the same here would only replace a link still being negotiated. Likewise an offer the peer may have had
   * before it reconnected: its answer, held meanwhile, follows its return; the offerer offers again only if no
   * answer came within REJOIN_ANSWER_WAIT_MS. An offer not yet made when the peer returns (a loaded machine takes a
   * few hundred milliseconds to make one) goes to its new socket: nothing to wait for or make again. What went to the
   * peer's old socket after it died was lost, though: the offer's candidates, trickled a moment after the offer,
   * typically were. They are sent again (applying one twice changes nothing), since without them the peer's end has
   * nothing to check and its NAT drops this side's checks.
   */
  rejoined(theyJoined: boolean): void {
    this.present = true;
    const link = this.#link;
    if (link?.connected || !(theyJoined || !this.#recovery)) return;
    if (this.#recovery && this.#offerer && link && !link.closed) {
      for (const candidate of this.#sentCandidates) this.#sendSignal(candidate);
      if (link.connection.remoteDescription || !this.#offerSent) return;
      const offerAgain = (): void => {
        clearTimeout(timer);
        this.#rejoinWait = undefined;
        if (link === this.#link && !this.#closed && !link.connection.remoteDescription) this.connect();
      };
      const timer = setTimeout(offerAgain, REJOIN_ANSWER_WAIT_MS);
      this.#rejoinWait = () => {
        clearTimeout(timer);
        this.#rejoinWait = undefined;
        setTimeout(offerAgain, REJOIN_FLUSH_WAIT_MS);
      };
      return;
    }
    this.connect();
  }

  /** Signaling says the peer left. A connected link does not need signaling: it ends with a `bye` or a closed transport. */
  left(): void {
    this.present = false;
    if (!this.#link?.connected) this.context.dropped(this);
  }

  handleSignal({ link: linkId, ...payload }: SignalPayload): void {
    this.present = true;
    if (payload.type === RESTART) {
      this.#handleRestartRequest(typeof linkId === 'string' ? linkId : undefined);
      return;
    }
    if (typeof linkId !== 'string') {
      this.#error(new P2PCallError(ErrorCode.BadMessage, 'Dropped negotiation data that names no connection.', true));
      return;
    }
    if (linkId !== this.#link?.id) {
      // A new link from the offerer (first contact, recovery, or it reloaded) replaces the current one. Anything else
      // for an unknown link belongs to one already replaced: dropped.
      if (payload.type !== 'offer' || this.#offerer) return;
      // The offerer replaces a link that broke, or one that never connected: recover along with it, on a clock of
      // this side's own, so that a call that cannot connect ends here too (with connection-lost at the deadline).
      if (this.#link && !this.#recovery) this.#beginRecovery('peer-request')?.attempt(() => this.#attemptRecovery());
      this.#open(linkId, false);
    }
    const allowed = this.#services?.relayGuard ? this.#services.relayGuard.filter(payload) : payload;
    if (!allowed) {
      if (this.#link?.connected) void this.#services?.reportRoute(); // is the path already through that relay?
      return;
    }
    if (!this.#link?.signal(allowed)) {
      this.#error(
        new P2PCallError(ErrorCode.BadMessage, 'Dropped negotiation data the call does not understand.', true),
      );
    } else if (carriesCandidate(allowed)) {
      this.#unreachableWatch?.heard();
    }
  }

  /** Sends a session message on the main channel; false when the link is not connected. */
  sendToPeer(message: PeerMessage): boolean {
    return this.#link?.send(encodePeerMessage(message)) ?? false;
  }

  /** Sends a frame as it is (the host's app data); false when the link is not connected. */
  sendFrame(frame: string | Uint8Array): boolean {
    return this.#link?.connected ? this.#link.send(frame) : false;
  }

  /** Tells the peer this side's microphone/camera state and camera stream. */
  announceMedia(): void {
    this.sendToPeer({ t: 'media', ...this.context.localMedia() });
  }

  /** Puts this side's share on the link's auxiliary sender (or takes it off) and tells the peer. */
  publishShare(): void {
    const link = this.#link;
    if (!link?.connected) return; // sent when the link connects
    const track = this.context.shareTrack();
    this.sendToPeer({ t: 'share', stream: link.setAuxTrack(track ?? null), active: Boolean(track) });
  }

  setLocalTrack(track: MediaStreamTrack): void {
    this.#link?.setLocalTrack(track);
  }

  /** Ends everything for this peer: recovery, link and its services, the streams it sent. Says nothing to the peer. */
  close(): void {
    this.#closed = true;
    this.#recovery?.cancel();
    this.#recovery = undefined;
    this.#replace(undefined);
    this.#applyStreams(this.#streams.clear());
  }

  #handleRestartRequest(linkId: string | undefined): void {
    if (!this.#offerer) return;
    const link = this.#link && !this.#link.closed ? this.#link : undefined;
    if (link && linkId !== undefined && linkId !== link.id) {
      // About a link already replaced: the peer wrote it before our offer reached it. Right after the peer's return
      // it is one of the signals it held meanwhile, sent in the order written: an answer to our offer, had the offer
      // reached it, would follow at once; without one, the offer was lost with its old socket.
      this.#rejoinWait?.();
      return;
    }
    if (link && !link.connected && linkId === undefined && !this.#recovery) return; // first contact: our offer is on its way
    if (this.#recovery) this.#attemptRecovery();
    else if (link)
      this.#startRecovery('peer-request'); // the peer lost this link, or reloaded and has none
    else this.#open(randomId(), true);
  }

  /** Starts replacing a broken media path. A recovery already running makes its next attempt on its own timer. */
  #startRecovery(reason: ReconnectReason): void {
    if (this.#recovery || !this.#beginRecovery(reason)) return;
    // The new link's signals need a channel that still works: a network change breaks both.
    this.context.checkSignaling();
    this.#attemptRecovery();
  }

  /** The clock and the `reconnecting` event of a recovery; undefined when there is nothing to recover for. */
  #beginRecovery(reason: ReconnectReason): RecoveryClock | undefined {
    if (this.#closed || !this.context.active()) return undefined;
    const timeout = this.context.recoveryTimeout;
    const recovery = new RecoveryClock(timeout, () => this.#giveUp(timeout));
    this.#recovery = recovery;
    this.context.emit('reconnecting', { reason });
    this.context.changed();
    return recovery;
  }

  #attemptRecovery(): void {
    const recovery = this.#recovery;
    if (!recovery || this.#closed) return;
    recovery.attempt(() => this.#attemptRecovery());
    if (this.#offerer) {
      this.#open(randomId(), true);
    } else {
      this.#lostLinkId = this.#link?.id ?? this.#lostLinkId;
      this.#replace(undefined);
      this.#sendSignal({ type: RESTART, link: this.#lostLinkId });
    }
  }

  #giveUp(timeoutMs: number): void {
    if (!this.#recovery) return;
    const name = this.peer.name || 'the other person';
    this.context.dropped(this);
    this.#error(
      new P2PCallError(
        ErrorCode.ConnectionLost,
        `The connection to ${name} was lost and could not be restored within ${Math.round(timeoutMs / 1000)} s. The call resumes when they are back.`,
        true,
      ),
    );
  }

  /**
   * No path exists between the two networks (see UnreachableWatch): dropped at once, with what is known of why. The
   * other side's first connection fails the same way at about the same time, and it says the same.
   */
  #unreachable(): void {
    const name = this.peer.name || 'the other person';
    const why =
      this.context.relay === 'forbid'
        ? 'Their network and this one need a relay (a TURN server), which relay="forbid" does not allow'
        : 'Their network and this one need a relay (a TURN server) and none is configured or reachable, or a firewall blocks the call';
    this.context.dropped(this);
    this.#error(
      new P2PCallError(
        ErrorCode.Unreachable,
        `No network path to ${name} was found: every pair of addresses was tried and none answered. ${why}.`,
        true,
      ),
    );
  }

  #open(id: string, initiator: boolean): void {
    const link = this.context.newLink();
    // A connection that replaces a working one starts with the camera at full size (see camera-size.ts).
    if (this.#wasConnected) link.reduceCamera(false);
    this.#replace(link);
    this.#services = this.context.newServices(link, this);
    if (!this.#wasConnected) {
      this.#unreachableWatch = new UnreachableWatch(link.connection, () => {
        if (link === this.#link && !this.#closed) this.#unreachable();
      });
    }
    const forbid = this.context.relay === 'forbid';
    this.#sentCandidates = [];
    this.#offerSent = false;
    link.events.on('signal', (payload) => {
      if (forbid && isRelayCandidate(payload)) return; // a second line of defence: no TURN server is configured
      if (link !== this.#link) return;
      const signal = { ...payload, link: link.id };
      if (payload.type === 'candidate') this.#sentCandidates.push(signal);
      if (payload.type === 'offer') this.#offerSent = true;
      this.#sendSignal(signal);
    });
    link.events.on('connect', () => this.#handleConnect(link));
    link.events.on('stream', (stream) => this.#applyStreams(this.#streams.addStream(stream)));
    link.events.on('message', (frame) => this.#handleFrame(frame));
    link.events.on('error', (error) => this.#error(error));
    link.events.on('close', () => {
      if (link !== this.#link) return; // replaced on purpose
      // Closed without a `bye`: the path broke. Recover while the peer is still in the room.
      if (this.present) this.#startRecovery('transport-closed');
      else this.context.dropped(this);
    });
    link.start(id, initiator);
    this.#watchForStall(link);
    this.context.changed();
  }

  #handleConnect(link: Link): void {
    if (link !== this.#link) return;
    this.#wasConnected = true;
    this.#unreachableWatch?.stop();
    this.#unreachableWatch = undefined;
    this.#watch = new LinkWatch(
      link.connection,
      (reason) => {
        if (link === this.#link) this.#startRecovery(reason);
      },
      () => this.context.checkSignaling(),
      () => this.#shownFrames(),
    );
    const recovery = this.#recovery;
    this.#recovery = undefined;
    if (recovery) this.context.emit('recovered', { durationMs: recovery.finish(), attempts: recovery.attempts });
    this.context.changed();
    this.announceMedia();
    void this.#services?.connected();
    if (this.context.shareTrack()) this.publishShare();
  }

  /**
   * A new link whose ICE never starts checking (no candidate from the other side arrived, or none was applied) would
   * wait in `connecting` forever. After STALL_TIMEOUT_MS with both descriptions applied and ICE still `new`, the link
   * is replaced, like a broken one, when this side has gathered all its candidates or none at all (a browser can
   * leave gathering waiting for its list of networks for good). A side still gathering after finding some may be
   * waiting for a slow TURN allocation: left be.
   */
  #watchForStall(link: Link): void {
    clearTimeout(this.#stallTimer);
    const connection = link.connection;
    this.#stallTimer = setTimeout(() => {
      const { signalingState, iceConnectionState, iceGatheringState } = connection;
      const gatheredNone = !/^a=candidate:/mu.test(connection.localDescription?.sdp ?? '');
      const gatheringDone = iceGatheringState === 'complete' || gatheredNone;
      const stalled = signalingState === 'stable' && iceConnectionState === 'new' && gatheringDone;
      if (link !== this.#link || link.connected || !stalled) return;
      this.#startRecovery('ice-stalled');
    }, STALL_TIMEOUT_MS);
  }

  /**
   * Makes `link` the current one (or none), closing the previous one and what rode on it: its file transfers end,
   * its verification code is void, the peer's streams from it are forgotten. The peer stays.
   */
  #replace(link: Link | undefined): void {
    const previous = this.#link;
    this.#link = link;
    clearTimeout(this.#stallTimer);
    this.#watch?.stop();
    this.#watch = undefined;
    this.#unreachableWatch?.stop();
    this.#unreachableWatch = undefined;
    this.#services?.close();
    this.#services = undefined;
    if (previous) {
      this.#applyStreams(this.#streams.clear());
      previous.destroy();
    }
  }

  #handleFrame(frame: string | Uint8Array): void {
    receivePeerFrame(frame, {
      media: ({ muted, cameraOff, stream }) => {
        this.context.emit('remote-media', { muted, cameraOff });
        this.#applyStreams(this.#streams.setCamera(stream));
      },
      share: ({ stream, active }) => this.#applyStreams(this.#streams.setAux(stream, active)),
      data: (data) => this.context.emit('data', { data }),
      chat: ({ text }) => this.context.emit('chat', { text, from: 'remote', name: this.peer.name, at: Date.now() }),
      'verify-commit': (message) => this.#services?.handleVerification(message),
      'verify-reveal': (message) => this.#services?.handleVerification(message),
      verified: ({ code }) => this.#services?.handlePeerVerified(code),
      route: ({ local }) => this.#services?.handlePeerRoute(local),
      bye: () => {
        this.present = false;
        this.context.dropped(this);
      },
      malformed: () =>
        this.#error(new P2PCallError(ErrorCode.BadMessage, 'Dropped a malformed message from the peer.', true)),
    });
  }

  /** Frames of this peer's camera and share shown on this page so far, if the page shows either. */
  #shownFrames(): number | undefined {
    const counts = [this.#streams.camera, this.#streams.aux]
      .map((stream) => stream && this.context.shownFrames(stream))
      .filter((count) => count !== undefined);
    return counts.length ? counts.reduce((sum, count) => sum + count, 0) : undefined;
  }

  #applyStreams(changes: RemoteStreamChanges): void {
    if (changes.auxEnded) this.context.emit('share-end', { side: 'remote', stream: changes.auxEnded });
    if (changes.camera) this.context.emit('remote-stream', { stream: changes.camera });
    if (changes.auxStarted) this.context.emit('share-start', { side: 'remote', stream: changes.auxStarted });
  }

  #sendSignal(payload: SignalPayload): void {
    this.context.sendSignal(this.peer.id, payload);
  }

  #error(error: P2PCallError): void {
    this.context.emit('error', error.toDetail());
  }
}
