/**
 * Fake links for unit tests of the session (CallSession's `createLink` option): no WebRTC, only the behaviour the
 * session relies on. A FakeNetwork pairs the links of two sessions by link id, the way a real offer/answer pairs two
 * RTCPeerConnections, and lets a test break what a real network breaks: candidates that never arrive, a path that
 * goes quiet or fails, a transport that closes.
 *
 * Negotiation is reduced to its shape: the offerer's start() sends `offer`, the answerer answers, each side then
 * sends one `candidate`; a link whose remote description and a remote candidate are both applied "checks" and,
 * when its counterpart has done the same, both connect (the main channel opens). Everything is asynchronous on
 * timers, so fake timers drive it.
 */
import mitt from 'mitt';
import type { Link, LinkEvents, LinkOptions } from '../../../src/session/link.js';
import type { SignalPayload } from '../../../src/signaling/signaling-adapter.js';
import { FakeDataChannel } from './fake-data-channel.js';

/** The ICE transport's selected pair, as routeFromTransport reads it; `select()` changes it as ICE would. */
export class FakeIceTransport extends EventTarget {
  constructor(public pair: { local: { type: string; protocol: string }; remote: { type: string; protocol: string } }) {
    super();
  }

  getSelectedCandidatePair(): FakeIceTransport['pair'] {
    return this.pair;
  }

  select(local: string, remote: string): void {
    this.pair = { local: { type: local, protocol: 'udp' }, remote: { type: remote, protocol: 'udp' } };
    this.dispatchEvent(new Event('selectedcandidatepairchange'));
  }
}

/** Milliseconds of (fake) time spent switched on. */
class TimeWhileOn {
  #since?: number;
  #total = 0;

  constructor(on: boolean) {
    this.on = on;
  }

  get on(): boolean {
    return this.#since !== undefined;
  }

  set on(on: boolean) {
    if (on === this.on) return;
    if (on) this.#since = performance.now();
    else {
      this.#total += performance.now() - this.#since!;
      this.#since = undefined;
    }
  }

  get ms(): number {
    return this.#total + (this.#since === undefined ? 0 : performance.now() - this.#since);
  }
}

/** The parts of RTCPeerConnection the session reads: its states, their change events, and transport stats. */
export class FakeConnection extends EventTarget {
  signalingState: RTCSignalingState = 'stable';
  iceConnectionState: RTCIceConnectionState = 'new';
  connectionState: RTCPeerConnectionState = 'new';
  iceGatheringState: RTCIceGatheringState = 'new';
  localDescription: RTCSessionDescription | null = null;
  remoteDescription: RTCSessionDescription | null = null;
  /** No ICE transport unless the network gives its links one (FakeNetwork.iceTransports): the getStats route then. */
  sctp: { transport: EventTarget & { iceTransport: FakeIceTransport } } | null = null;
  bytesReceived = 0;
  /** The selected pair as getStats shows it (Firefox marks the pair selected), by candidate stats; none if unset. */
  statsPair?: { local: Record<string, unknown>; remote: Record<string, unknown> };
  /** The bandwidth estimate getStats gives on the selected pair (`availableOutgoingBitrate`); none if unset. */
  outgoingEstimate?: number;
  /** Candidate pairs getStats shows beside the selected one, each with its two candidates' stats. */
  otherPairs: Array<{
    pair: Record<string, unknown>;
    local: Record<string, unknown>;
    remote: Record<string, unknown>;
  }> = [];
  /** While streaming, bytes come in at a steady rate in (fake) time, however often they are read. */
  readonly #streaming = new TimeWhileOn(false);
  /**
   * This side's own packets: they leave at a steady rate unless `sendingStalled` (a starved machine, or this side's
   * own network gone), when the count stands still.
   */
  readonly #sending = new TimeWhileOn(true);

  get streaming(): boolean {
    return this.#streaming.on;
  }

  set streaming(on: boolean) {
    this.#streaming.on = on;
  }

  get sendingStalled(): boolean {
    return !this.#sending.on;
  }

  set sendingStalled(stalled: boolean) {
    this.#sending.on = !stalled;
  }

  getSenders(): RTCRtpSender[] {
    return [];
  }

  async getStats(): Promise<RTCStatsReport> {
    // ~100 kB/s each way while on, on top of what a test adds by hand.
    const bytesReceived = this.bytesReceived + Math.round(this.#streaming.ms * 100);
    const bytesSent = Math.round(this.#sending.ms * 100);
    const report = new Map<string, Record<string, unknown>>([['t', { type: 'transport', bytesReceived, bytesSent }]]);
    if (this.statsPair) {
      report.set('P', {
        type: 'candidate-pair',
        selected: true,
        localCandidateId: 'L',
        remoteCandidateId: 'R',
        availableOutgoingBitrate: this.outgoingEstimate,
      });
      report.set('L', { type: 'local-candidate', protocol: 'udp', ...this.statsPair.local });
      report.set('R', { type: 'remote-candidate', protocol: 'udp', ...this.statsPair.remote });
    }
    this.otherPairs.forEach(({ pair, local, remote }, i) => {
      report.set(`P${i}`, { type: 'candidate-pair', localCandidateId: `L${i}`, remoteCandidateId: `R${i}`, ...pair });
      report.set(`L${i}`, { type: 'local-candidate', protocol: 'udp', ...local });
      report.set(`R${i}`, { type: 'remote-candidate', protocol: 'udp', ...remote });
    });
    return report as unknown as RTCStatsReport;
  }

  setIceState(state: RTCIceConnectionState): void {
    if (this.iceConnectionState === state) return;
    this.iceConnectionState = state;
    this.dispatchEvent(new Event('iceconnectionstatechange'));
  }

  setConnectionState(state: RTCPeerConnectionState): void {
    if (this.connectionState === state) return;
    this.connectionState = state;
    this.dispatchEvent(new Event('connectionstatechange'));
  }
}

export class FakeLink implements Link {
  readonly events = mitt<LinkEvents>();
  readonly fake = new FakeConnection();
  readonly connection = this.fake as unknown as RTCPeerConnection;
  id = '';
  started = false;
  initiator = false;
  closed = false;
  #open = false;
  #remoteDescription = false;
  #remoteCandidate = false;
  readonly sentMessages: Array<string | Uint8Array> = [];
  readonly channels = new Map<number, FakeDataChannel>();

  constructor(
    readonly network: FakeNetwork,
    readonly options: LinkOptions,
  ) {}

  get connected(): boolean {
    return this.#open && !this.closed;
  }

  get counterpart(): FakeLink | undefined {
    return this.network.counterpartOf(this);
  }

  start(id: string, initiator: boolean): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.id = id;
    this.initiator = initiator;
    this.network.register(this);
    if (initiator) {
      setTimeout(() => {
        if (!this.closed) this.#emitSignal({ type: 'offer', sdp: 'fake offer' });
      }, this.network.latencyMs + this.network.offerDelayMs);
    }
  }

  reconfigure(): boolean {
    return !this.closed;
  }

  signal(payload: SignalPayload): boolean {
    if (this.closed || !this.started || !['offer', 'answer', 'candidate'].includes(payload.type)) return false;
    if (payload.type === 'offer' || payload.type === 'answer') {
      this.#remoteDescription = true;
      this.fake.remoteDescription = { type: payload.type, sdp: String(payload.sdp) } as RTCSessionDescription;
      if (payload.type === 'offer') this.#emitSignal({ type: 'answer', sdp: 'fake answer' });
      this.#gather();
    } else {
      this.#remoteCandidate = true;
    }
    this.#check();
    return true;
  }

  setAuxTrack(): string {
    return `aux-${this.id}`;
  }

  setLocalTrack(): void {}

  /** Whether the camera is sent reduced; a test sets it true for a camera larger than VGA at the start. */
  cameraReduced = false;
  /** Every size the session asked for, in order (true: reduced). */
  readonly cameraSizes: boolean[] = [];

  reduceCamera(reduced: boolean): void {
    this.cameraReduced = reduced;
    this.cameraSizes.push(reduced);
  }

  /** How many times the session restarted ICE on this link. */
  iceRestarts = 0;

  restartIce(): void {
    this.iceRestarts += 1;
  }

  openNegotiatedChannel(_label: string, id: number): RTCDataChannel {
    const channel = new FakeDataChannel();
    channel.readyState = 'connecting';
    this.channels.set(id, channel);
    return channel as unknown as RTCDataChannel;
  }

  send(data: string | Uint8Array): boolean {
    if (!this.connected) return false;
    this.sentMessages.push(data);
    const counterpart = this.counterpart;
    // Delivered even when this end closes right after sending (an SCTP close flushes what was queued first).
    setTimeout(() => {
      if (counterpart?.connected) counterpart.events.emit('message', data);
    }, this.network.latencyMs);
    return true;
  }

  /** Closed on purpose: the other end's channel closes a moment later (SCTP abort), as a real one's does. */
  destroy(): void {
    const counterpart = this.counterpart;
    const wasOpen = this.#open;
    this.#close();
    if (wasOpen) setTimeout(() => counterpart?.closeTransport(), this.network.latencyMs * 2);
  }

  /** The transport died without a word (the other side's tab crashed, a NAT dropped the mapping for good). */
  closeTransport(): void {
    this.#close();
  }

  /** The media path goes quiet: ICE reports `disconnected` and no byte arrives any more. */
  goQuiet(): void {
    this.fake.setIceState('disconnected');
  }

  /** Media flows in (see FakeConnection.streaming), or stops without ICE noticing yet (a network change). */
  stream(on: boolean): void {
    this.fake.streaming = on;
  }

  /** ICE gives up. */
  fail(): void {
    this.fake.setIceState('failed');
  }

  /**
   * The browser gives up on the connection as Chromium does when no check was ever answered: ICE `disconnected`,
   * the connection `failed`; the peer library then closes the link (on its next turn).
   */
  giveUp(): void {
    this.fake.setIceState('disconnected');
    this.fake.setConnectionState('failed');
    setTimeout(() => this.closeTransport(), 0);
  }

  #gather(): void {
    if (this.fake.iceGatheringState !== 'new') return;
    this.fake.iceGatheringState = 'gathering';
    if (this.network.gatheringStalls(this)) return;
    this.#later(() => {
      this.#emitSignal({
        type: 'candidate',
        candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host', sdpMid: '0' },
      });
      // A real connection lists what it gathered in its local description.
      const sdp = 'v=0\r\na=candidate:1 1 udp 1 10.0.0.1 5000 typ host\r\n';
      this.fake.localDescription = { type: this.initiator ? 'offer' : 'answer', sdp } as RTCSessionDescription;
      this.fake.iceGatheringState = 'complete';
    });
  }

  #check(): void {
    if (!this.#remoteDescription || !this.#remoteCandidate || this.fake.iceConnectionState !== 'new') return;
    if (!this.network.canConnect(this)) return;
    this.fake.setIceState('checking');
    const counterpart = this.counterpart;
    if (counterpart?.fake.iceConnectionState === 'checking') {
      for (const end of [this, counterpart]) end.#later(() => end.#connect());
    }
  }

  #connect(): void {
    if (this.closed || this.#open) return;
    this.fake.setIceState('connected');
    this.fake.bytesReceived += 1000;
    this.#open = true;
    for (const [id, channel] of this.channels) {
      channel.readyState = 'open';
      channel.peer = this.counterpart?.channels.get(id);
      channel.dispatchEvent(new Event('open'));
    }
    this.events.emit('connect');
  }

  #emitSignal(payload: SignalPayload): void {
    if (payload.type === 'offer' || payload.type === 'answer') this.#gather();
    if (payload.type === 'candidate' && this.network.loseCandidates(this)) return;
    if (!this.closed) this.events.emit('signal', payload);
  }

  #close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#open = false;
    this.fake.setIceState('closed');
    for (const channel of this.channels.values()) channel.close();
    this.events.emit('close');
    this.events.all.clear();
  }

  #later(step: () => void): void {
    setTimeout(() => {
      if (!this.closed) step();
    }, this.network.latencyMs);
  }
}

/** Every fake link of a test, paired by link id; what the test breaks. */
export class FakeNetwork {
  readonly links: FakeLink[] = [];
  /** One-way delay of everything on the fake wire. */
  latencyMs = 1;
  /** How long an offerer takes to make its offer (createOffer and setLocalDescription on a loaded machine). */
  offerDelayMs = 0;
  /** Candidates of these many first-started link pairs never arrive (a stalled connect). */
  candidateLossForFirstLinks = 0;
  /**
   * The links of these many first-started pairs start gathering and never find a candidate (a browser whose network
   * list never arrives): both sides in `gathering`, ICE `new`, for good.
   */
  gatheringStallForFirstLinks = 0;
  /** When false, links check but never connect (a network that drops everything). */
  reachable = true;
  /**
   * Links get an ICE transport: `'pair'` one whose selected pair (host to host at first) a test can change, and which
   * announces each change (Chromium); `'state'` one that tells only its state (Firefox); none when false.
   */
  iceTransports: 'pair' | 'state' | false = false;
  readonly #byId = new Map<string, FakeLink[]>();
  readonly #lossyIds = new Set<string>();
  readonly #stuckIds = new Set<string>();

  readonly create = (options: LinkOptions): FakeLink => {
    const link = new FakeLink(this, options);
    if (this.iceTransports) {
      const host = { type: 'host', protocol: 'udp' };
      const iceTransport =
        this.iceTransports === 'pair'
          ? new FakeIceTransport({ local: host, remote: host })
          : (Object.assign(new EventTarget(), { state: 'connected' }) as unknown as FakeIceTransport);
      // The DTLS transport is only listened to (verification): an event target that never fires.
      link.fake.sctp = { transport: Object.assign(new EventTarget(), { iceTransport }) };
    }
    this.links.push(link);
    return link;
  };

  register(link: FakeLink): void {
    const pair = this.#byId.get(link.id) ?? [];
    if (pair.length === 0 && this.#byId.size < this.candidateLossForFirstLinks) this.#lossyIds.add(link.id);
    if (pair.length === 0 && this.#byId.size < this.gatheringStallForFirstLinks) this.#stuckIds.add(link.id);
    pair.push(link);
    this.#byId.set(link.id, pair);
  }

  counterpartOf(link: FakeLink): FakeLink | undefined {
    return this.#byId.get(link.id)?.find((other) => other !== link);
  }

  gatheringStalls(link: FakeLink): boolean {
    return this.#stuckIds.has(link.id);
  }

  loseCandidates(link: FakeLink): boolean {
    return this.#lossyIds.has(link.id);
  }

  canConnect(link: FakeLink): boolean {
    return this.reachable && !link.closed;
  }

  /** Links that were started (given an id and a role), in order. */
  get started(): FakeLink[] {
    return this.links.filter((link) => link.started);
  }
}
