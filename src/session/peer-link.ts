/**
 * The one file that knows the peer library. A PeerLink is one RTCPeerConnection to one remote participant, with
 * its negotiation (offer/answer/candidates/renegotiation) driven by simple-peer and its data channel used for the
 * session's messages. Everything above sees only this small, typed surface.
 */
import SimplePeer from '@thaunknown/simple-peer';
import mitt from 'mitt';
import { ErrorCode, P2PCallError } from '../errors.js';
import type { SignalPayload } from '../signaling/signaling-adapter.js';
import type { CreateLink, Link, LinkEvents, LinkOptions } from './link.js';
import { reducedScale } from './camera-size.js';

/** Stands in for simple-peer's ICE-complete timer after a close (see #stopIceCompleteTimer); never a live timer. */
const TIMER_PLACEHOLDER = -1 as unknown as ReturnType<typeof setTimeout>;

/** The main data channel's fixed id on both sides (the file channel has its own, far above; see CallSession). */
const MAIN_CHANNEL_ID = 0;

/** The payload types simple-peer produces and accepts; anything else from the wire is refused before it gets there. */
const NEGOTIATION_TYPES = new Set(['offer', 'answer', 'candidate', 'renegotiate', 'transceiverRequest']);

/**
 * simple-peer's errors for a transport that died (ICE failed or closed, the data channel dropped). They are not
 * reported as errors: the link closes right after, and the session recovers from the close. A connection that
 * fails while ICE is up is different: the DTLS handshake failed (a certificate that does not match the signaled
 * fingerprint, as when a relay tampers with the SDP), which is reported.
 */
const TRANSPORT_ERRORS = new Set(['ERR_ICE_CONNECTION_FAILURE', 'ERR_ICE_CONNECTION_CLOSED', 'ERR_DATA_CHANNEL']);

/** ICE restarts one link makes, whoever asked for them: each gathers again, a TURN allocation included. */
const MAX_ICE_RESTARTS = 3;
/** A request within this long of the last restart is answered by it (both sides judged the same path). */
const ICE_RESTART_SPACING_MS = 5000;

/**
 * A link is built (connection, senders, main channel) before it is given its id and role by start(): the session
 * prepares one while it waits for the other person, so that none of that work sits between "the peer is here" and
 * the offer.
 */
export class PeerLink implements Link {
  readonly events = mitt<LinkEvents>();
  /** Names this connection in every signal it sends, so a replacement link never takes a stale candidate or answer. */
  #id = '';
  #started = false;
  readonly #peer: SimplePeer;
  /** Kept here: simple-peer lets go of its connection when it is destroyed; readers still get the closed one. */
  readonly #connection: RTCPeerConnection;
  #closed = false;
  #open = false;
  /** ICE connectivity as last reported (simple-peer closes the connection before it reports a failure). */
  #iceUp = false;
  /** The auxiliary sender: the stream the peer sees it in, and the track simple-peer knows the sender by. */
  #aux?: { carrier: MediaStream; key?: MediaStreamTrack };
  /** The camera/microphone stream and, per kind, the track simple-peer knows that sender by. */
  #main?: { stream: MediaStream; keys: Partial<Record<'audio' | 'video', MediaStreamTrack>> };
  #cameraReduced = false;
  /** The camera's sender, once found: after a replaceTrack its track is the old camera's until the swap completes. */
  #cameraSender?: RTCRtpSender;
  #iceRestarts = 0;
  #lastIceRestartAt = -Infinity;

  constructor(options: LinkOptions) {
    this.#peer = new SimplePeer({
      // Every link starts as an answerer, whose first negotiation simple-peer discards; start() may make it the offerer.
      initiator: false,
      // One transport for everything: fewer candidates to gather and check (measured faster to connect).
      // No candidate pool: gathering starts when the description is set, in the connection's only allocator session.
      // With a pool, an answering connection drops its pooled session when the answer is applied and gathers in a
      // second one, and Chromium's per-connection network filter can swallow the only network list that second
      // session would get (when its IP-permission check answers between the session's start and that list): no
      // candidate ever, ICE `new` on both sides until the stall watchdog. scripts/stress-pool-race.mjs shows it.
      config: {
        iceServers: options.iceServers,
        iceTransportPolicy: options.iceTransportPolicy ?? 'all',
        bundlePolicy: 'max-bundle',
        iceCandidatePoolSize: 0,
      },
      // The main channel is agreed in advance on both sides (negotiated id), like the file channel: it opens with the
      // SCTP association on both sides at once. An in-band channel costs the answerer an extra open handshake, and
      // Chromium's handling of an arriving channel blocks the page's main thread on its busy network thread (measured
      // 30-100 ms of the time to connect).
      channelConfig: { negotiated: true, id: MAIN_CHANNEL_ID },
      streams: options.stream ? [options.stream] : [],
      // Receive both kinds even when this side sends nothing (no camera, or receive-only).
      offerOptions: { offerToReceiveAudio: true, offerToReceiveVideo: true },
      // Text frames stay strings (the default turns them into bytes); binary frames arrive as Uint8Array.
      objectMode: true,
    });
    if (options.stream) {
      const keys: Partial<Record<'audio' | 'video', MediaStreamTrack>> = {};
      for (const track of options.stream.getTracks()) keys[track.kind as 'audio' | 'video'] ??= track;
      this.#main = { stream: options.stream, keys };
    }
    const pc = this.#peer._pc;
    this.#connection = pc;
    preferRedundantAudio(pc);
    // Reduced before negotiation: the encoder's first frame is then already one the starting estimate carries.
    this.reduceCamera(true);
    pc.addEventListener('iceconnectionstatechange', () => {
      if (pc.iceConnectionState !== 'closed')
        this.#iceUp = pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';
    });
    this.#peer.on('signal', (data) => this.events.emit('signal', data));
    // Connected = the data channel is open (DTLS and SCTP are up). simple-peer's own 'connect' waits for a
    // getStats poll that retries every 100 ms, which cost the call a few hundred milliseconds at start; the poll
    // itself (only to learn the addresses in use, which nothing here reads) is switched off: a full getStats right
    // as the first media flows stalls the thread that handles its packets (first frames measurably later).
    this.#peer._maybeReady = () => {};
    const channel = this.#peer._channel;
    if (channel) channel.addEventListener('open', this.#handleOpen);
    else pc.addEventListener('datachannel', (event) => event.channel.addEventListener('open', this.#handleOpen));
    this.#peer.on('stream', (stream) => this.events.emit('stream', stream));
    this.#peer.on('data', (data) => this.events.emit('message', data));
    this.#peer.on('error', (error: Error & { code?: string }) => {
      if (TRANSPORT_ERRORS.has(error.code ?? '')) return;
      if (error.code === 'ERR_CONNECTION_FAILURE' && !this.#iceUp) return; // ICE died
      const why = error.code === 'ERR_CONNECTION_FAILURE' ? 'the secure handshake (DTLS) failed' : error.message;
      this.events.emit(
        'error',
        new P2PCallError(ErrorCode.PeerFailed, `Peer connection failed: ${why}`, true, { cause: error }),
      );
    });
    this.#peer.on('close', () => this.#handleClose());
  }

  get id(): string {
    return this.#id;
  }

  get started(): boolean {
    return this.#started;
  }

  /**
   * Names the link and gives it its role, once: the offerer makes its offer now, the answerer waits for one
   * (signal()). A link built moments ago (its first negotiation still queued) lets that queued negotiation make
   * the offer; a prepared link makes it at once.
   */
  start(id: string, initiator: boolean): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#id = id;
    if (!initiator) return;
    const peer = this.#peer;
    peer.initiator = true;
    if (peer._batchedNegotiation) return;
    // What negotiate() does, without its zero-delay timer: nothing here is in the constructor's task any more.
    peer._isNegotiating = true;
    peer._createOffer();
  }

  /**
   * Points a prepared link at other ICE servers (the signaling server hands out TURN credentials with `joined`,
   * after the link was built). False when the browser refuses the change; the link is then unusable for this call.
   */
  reconfigure(iceServers: RTCIceServer[], iceTransportPolicy: RTCIceTransportPolicy): boolean {
    const pc = this.#connection;
    try {
      pc.setConfiguration({ ...pc.getConfiguration(), iceServers, iceTransportPolicy });
      return true;
    } catch {
      return false;
    }
  }

  /** True once the data channel is open and the link is usable. */
  get connected(): boolean {
    return !this.#closed && this.#open && this.#peer._channel?.readyState === 'open';
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The underlying connection, for read-only inspection (stats, fingerprints); still there (closed) after close. */
  get connection(): RTCPeerConnection {
    return this.#connection;
  }

  /** Applies negotiation data from the peer. Returns false (and applies nothing) when the payload is not one. */
  signal(payload: SignalPayload): boolean {
    if (this.#closed || !this.#started || !NEGOTIATION_TYPES.has(payload.type)) return false;
    // The answerer asks for an ICE restart (restartIce()); one past the limit is not a renegotiation either.
    if (payload.type === 'renegotiate' && payload.iceRestart === true && this.#peer.initiator) {
      this.#restartIceAsOfferer();
      return true;
    }
    this.#peer.signal(payload);
    return true;
  }

  restartIce(): void {
    if (!this.connected) return;
    if (this.#peer.initiator) this.#restartIceAsOfferer();
    else this.events.emit('signal', { type: 'renegotiate', renegotiate: true, iceRestart: true });
  }

  /**
   * Puts a track on the auxiliary video sender (a shared screen or document view), or takes it off with `null`.
   * Only the first call adds a sender and renegotiates; later shares swap the track on the same sender
   * (replaceTrack), so starting and stopping a share again needs no negotiation and cannot collide (glare).
   * Returns the id of the stream the peer will see the auxiliary track in.
   */
  setAuxTrack(track: MediaStreamTrack | null): string {
    if (!this.#aux) {
      this.#aux = { carrier: new MediaStream(), key: track ?? undefined };
      if (track) this.#peer.addTrack(track, this.#aux.carrier);
      return this.#aux.carrier.id;
    }
    const { carrier, key } = this.#aux;
    if (!key) {
      if (track) this.#peer.addTrack(track, carrier);
    } else {
      this.#peer.replaceTrack(key, track, carrier);
    }
    if (track) this.#aux.key = track;
    return carrier.id;
  }

  /**
   * Puts a new camera or microphone track on the call (a device picked in the settings, or plugged in instead of
   * the one that went away): on the existing sender by replaceTrack, without renegotiation; or, when this link never
   * sent that kind, as a new sender (one renegotiation).
   */
  setLocalTrack(track: MediaStreamTrack): void {
    if (this.#closed || !this.#main) return;
    const kind = track.kind as 'audio' | 'video';
    const key = this.#main.keys[kind];
    if (key) this.#peer.replaceTrack(key, track, this.#main.stream);
    else {
      this.#peer.addTrack(track, this.#main.stream);
      if (kind === 'audio') preferRedundantAudio(this.#connection);
    }
    this.#main.keys[kind] = track;
    // Another camera while reduced: its own scale (none, for a camera already within VGA).
    if (kind === 'video' && this.#cameraReduced) this.reduceCamera(true);
  }

  get cameraReduced(): boolean {
    return this.#cameraReduced;
  }

  /**
   * Sends the camera reduced (scaled down to within VGA) or at its full size. A camera already that small, or a
   * sender that cannot take the change yet (Firefox gives no encodings before negotiation), stays at full size.
   */
  reduceCamera(reduced: boolean): void {
    const track = this.#main?.keys.video;
    this.#cameraSender ??= this.#connection.getSenders().find((candidate) => track && candidate.track === track);
    const sender = this.#cameraSender;
    const parameters = sender?.getParameters();
    const encoding = parameters?.encodings?.[0];
    const scale = reduced ? reducedScale(track?.getSettings().width, track?.getSettings().height) : 1;
    this.#cameraReduced = Boolean(encoding) && scale > 1;
    if (!sender || !parameters || !encoding || (encoding.scaleResolutionDownBy ?? 1) === scale) return;
    // Full size is the browser's own setting, not a scale of 1: with a scale set, Chromium no longer lowers the
    // resolution when the bandwidth falls (measured in the network lab's 500 kbit/s cap).
    if (scale === 1) delete encoding.scaleResolutionDownBy;
    else encoding.scaleResolutionDownBy = scale;
    sender.setParameters(parameters).catch(() => {});
  }

  /**
   * A second data channel agreed in advance on both sides (negotiated id), so it needs no renegotiation. Ids far
   * above the ones the browser assigns to in-band channels avoid collisions.
   */
  openNegotiatedChannel(label: string, id: number): RTCDataChannel {
    const channel = this.#connection.createDataChannel(label, { negotiated: true, id, ordered: true });
    channel.binaryType = 'arraybuffer';
    return channel;
  }

  /** Sends one message on the data channel; false when the channel is not open. */
  send(data: string | Uint8Array): boolean {
    if (!this.connected) return false;
    try {
      this.#peer.send(data);
      return true;
    } catch {
      return false; // the channel closed between the check and the send
    }
  }

  destroy(): void {
    if (this.#closed) return;
    this.#stopIceCompleteTimer();
    this.#peer.destroy();
    this.#handleClose();
  }

  /** New ICE credentials in the next offer, made now (simple-peer queues it behind a negotiation under way). */
  #restartIceAsOfferer(): void {
    const now = performance.now();
    if (!this.connected || typeof this.#connection.restartIce !== 'function') return;
    if (this.#iceRestarts >= MAX_ICE_RESTARTS || now - this.#lastIceRestartAt < ICE_RESTART_SPACING_MS) return;
    this.#iceRestarts += 1;
    this.#lastIceRestartAt = now;
    this.#connection.restartIce();
    this.#peer.negotiate();
  }

  #handleOpen = (): void => {
    if (this.#open || this.#closed) return;
    this.#open = true;
    this.events.emit('connect');
  };

  /**
   * simple-peer never clears its 5 s ICE-complete timer when it is destroyed (by us, or by itself when the transport
   * closes), and a late candidate can still start one before its deferred teardown; left alone, the timer keeps the
   * dead peer alive until it fires. Clear it and leave a non-null placeholder: simple-peer only starts the timer
   * while that field is empty.
   */
  #stopIceCompleteTimer(): void {
    clearTimeout(this.#peer._iceCompleteTimer ?? undefined);
    this.#peer._iceCompleteTimer = TIMER_PLACEHOLDER;
  }

  #handleClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopIceCompleteTimer();
    this.events.emit('close');
    this.events.all.clear();
    this.#peer.removeAllListeners();
    // simple-peer emits 'error' after destroy in some paths; keep one no-op listener so nothing is unhandled.
    this.#peer.on('error', () => {});
  }
}

/**
 * Audio with redundancy (RED, RFC 2198) first, where the browser has it: each packet also carries the previous
 * frame, so a lost packet costs no audible gap. Measured on the bench's impaired networks (docs/performance.md):
 * concealed audio fell from 0.3-0.7 % to 0.0 % at 40 ms RTT with 1 % loss and from 0.7-1.1 % to 0.2-0.4 % at 120 ms
 * with 3 % loss, for ~16 kbit/s and no added delay on a clean network. The receiving side's list decides what the
 * sender uses, so both sides prefer it.
 */
function preferRedundantAudio(connection: RTCPeerConnection): void {
  const codecs = globalThis.RTCRtpReceiver?.getCapabilities?.('audio')?.codecs;
  if (!codecs?.some((codec) => codec.mimeType.toLowerCase() === 'audio/red')) return;
  const red = (codec: RTCRtpCodec) => codec.mimeType.toLowerCase() === 'audio/red';
  const ordered = [...codecs.filter(red), ...codecs.filter((codec) => !red(codec))];
  for (const transceiver of connection.getTransceivers()) {
    if (transceiver.receiver.track.kind !== 'audio' || typeof transceiver.setCodecPreferences !== 'function') continue;
    try {
      transceiver.setCodecPreferences(ordered);
    } catch {
      // A browser that lists RED but refuses it here keeps its own order.
    }
  }
}

/** The real links: one RTCPeerConnection each. */
export const createPeerLink: CreateLink = (options) => new PeerLink(options);
