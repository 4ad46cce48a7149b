/**
 * An in-memory signaling service for unit tests: rooms of seated members, `joined`/`peer-joined`/`peer-left` news,
 * and signals delivered on timers (so fake timers drive them). A test can look at every frame, drop some, or deliver
 * each twice, as a flaky or at-least-once transport would.
 */
import type { PeerInfo, SignalPayload } from '../../../src/signaling/protocol.js';
import type {
  JoinRequest,
  SignalingAdapter,
  SignalingEvent,
  SignalingListener,
} from '../../../src/signaling/signaling-adapter.js';

export interface DeliveredSignal {
  from: string;
  to: string;
  payload: SignalPayload;
}

export class FakeSignalingHub {
  readonly #members = new Map<string, FakeSignaling>();
  readonly delivered: DeliveredSignal[] = [];
  latencyMs = 1;
  /** Deliver every signal twice. */
  duplicate = false;
  /** Return true to drop a signal on the way. */
  drop: (signal: DeliveredSignal) => boolean = () => false;

  adapter(): FakeSignaling {
    return new FakeSignaling(this);
  }

  seat(member: FakeSignaling, request: JoinRequest): void {
    const peers: PeerInfo[] = [...this.#members.values()].map((other) => other.info!);
    this.#members.set(request.peerId, member);
    this.#later(() => {
      member.emit({ type: 'joined', self: request.peerId, peers });
      for (const other of this.#members.values())
        if (other !== member) other.emit({ type: 'peer-joined', peer: member.info! });
    });
  }

  unseat(member: FakeSignaling): void {
    const id = member.info?.id;
    if (!id || this.#members.get(id) !== member) return;
    this.#members.delete(id);
    this.#later(() => {
      for (const other of this.#members.values()) other.emit({ type: 'peer-left', peerId: id });
    });
  }

  relay(from: string, to: string, id: string, payload: SignalPayload): void {
    const signal = { from, to, payload };
    if (this.drop(signal)) return;
    this.delivered.push(signal);
    const times = this.duplicate ? 2 : 1;
    for (let copy = 0; copy < times; copy += 1)
      this.#later(() => this.#members.get(to)?.emit({ type: 'signal', from, id, payload }));
  }

  #later(step: () => void): void {
    setTimeout(step, this.latencyMs);
  }
}

export class FakeSignaling implements SignalingAdapter {
  info?: PeerInfo;
  /** How often the session asked for a check of the channel (checkConnection). */
  checks = 0;
  /**
   * The channel died without closing (this device's address changed): what is sent is lost, what the hub delivers is
   * lost, until a check finds it out and reconnects (like WebSocketSignaling: the signals written during the check
   * are held, then sent once seated again).
   */
  dead = false;
  /**
   * The channel still delivers to this side but breaks at the next send (this side's packets leave by a new route the
   * server does not know: it resets the connection): that signal is held, the channel reconnects (the others hear
   * `peer-joined`), and what was held goes out once seated.
   */
  breaksOnSend = false;
  /** How long a dead channel takes to be seated again once a check found it dead (this side's network is back). */
  reconnectMs?: number;
  #held?: Array<[string, string, SignalPayload]>;
  #request?: JoinRequest;
  readonly #listeners = new Set<SignalingListener>();

  constructor(private readonly hub: FakeSignalingHub) {}

  join(request: JoinRequest): void {
    this.#request = request;
    this.info = { id: request.peerId, name: request.name };
    this.hub.seat(this, request);
  }

  send(to: string, id: string, payload: SignalPayload): void {
    if (this.breaksOnSend && !this.#held) {
      this.breaksOnSend = false;
      this.dead = true;
      this.checkConnection();
    }
    if (this.#held) this.#held.push([to, id, payload]);
    else if (this.info && !this.dead) this.hub.relay(this.info.id, to, id, payload);
  }

  leave(): void {
    this.hub.unseat(this);
  }

  checkConnection(): void {
    this.checks += 1;
    if (this.#held || !this.#request) return;
    const held: Array<[string, string, SignalPayload]> = (this.#held = []);
    const release = () => {
      this.#held = undefined;
      for (const signal of held) this.send(...signal);
    };
    // A live channel answers in a round trip. A dead one is given up after a wait several round trips long, then
    // seated again (the others hear `peer-joined`); what was held goes out once seated.
    if (!this.dead) {
      setTimeout(release, this.hub.latencyMs * 2);
      return;
    }
    setTimeout(
      () => {
        this.dead = false;
        this.hub.seat(this, this.#request!);
        setTimeout(release, this.hub.latencyMs * 2);
      },
      this.reconnectMs ?? this.hub.latencyMs * 8,
    );
  }

  subscribe(listener: SignalingListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: SignalingEvent): void {
    if (this.dead) return;
    for (const listener of this.#listeners) listener(event);
  }
}
