/**
 * The other people in the room, as this side knows them: a set of remote peers, one LinkSupervisor each, kept from
 * what signaling reports (who is there, who joined, who left, who sent what). A two-person call holds at most one;
 * the set is what panel calls of up to four build on.
 */
import type { PeerInfo, SignalPayload } from '../signaling/signaling-adapter.js';
import type { CallEventMap } from './call-events.js';
import type { PeerFacts } from './call-state.js';
import { DuplicateFilter } from './duplicate-filter.js';
import type { LinkSupervisor } from './link-supervisor.js';
import { safeDisplayName } from './safe-text.js';

export interface PeerRoomHooks {
  newSupervisor(peer: PeerInfo): LinkSupervisor;
  emit<K extends 'peer-join' | 'peer-leave'>(name: K, detail: CallEventMap[K]): void;
  /** Who is here changed: the call state may have. */
  changed(): void;
  /** Someone left: a spare link for whoever comes next. */
  vacated(): void;
}

export class PeerRoom {
  readonly #peers = new Map<string, LinkSupervisor>();
  /** Signals already handled: an at-least-once transport may deliver one twice (a resend after a reconnect). */
  readonly #seen = new DuplicateFilter();
  #selfId = '';

  /** `capacity` counts this side too: 2 for a two-person call. */
  constructor(
    private readonly capacity: number,
    private readonly hooks: PeerRoomHooks,
  ) {}

  /** This side's id as the room knows it (the signaling server may assign one). */
  set selfId(id: string) {
    this.#selfId = id;
  }

  get selfId(): string {
    return this.#selfId;
  }

  get peers(): LinkSupervisor[] {
    return [...this.#peers.values()];
  }

  get facts(): PeerFacts[] {
    return this.peers.map((peer) => peer.facts);
  }

  /**
   * Someone is in the room (announced at join, or arriving): connect to them, or again if they are back.
   * `theyJoined`: they (re)joined just now, rather than being listed when this side (re)joined.
   */
  arrived(announced: PeerInfo, theyJoined = true): void {
    if (announced.id === this.#selfId) return;
    const known = this.#peers.get(announced.id);
    if (known) {
      known.rejoined(theyJoined);
      return;
    }
    // A new id in a full room: someone reloaded (their old seat is gone; the server keeps rooms to capacity).
    if (this.#peers.size >= this.capacity - 1) this.drop(this.#leastConnected()!);
    const peer = { id: announced.id, name: safeDisplayName(announced.name) };
    const supervisor = this.hooks.newSupervisor(peer);
    // The link first: the offer starts before anyone listening to the news (the element re-renders) runs.
    supervisor.connect();
    this.#peers.set(peer.id, supervisor);
    this.hooks.emit('peer-join', { peer });
    this.hooks.changed();
  }

  /** Signaling says `peerId` left. */
  left(peerId: string): void {
    this.#peers.get(peerId)?.left();
  }

  /**
   * Negotiation data from `from` (message `id`, applied once). A peer announced only by its first signal
   * (relayed-room adapters can deliver it before the news of the peer) is taken in when it would be the offerer;
   * anything else from a stranger is dropped.
   */
  signal(from: string, id: string, payload: SignalPayload): void {
    if (!this.#seen.accept(`${from}/${id}`)) return;
    let supervisor = this.#peers.get(from);
    if (!supervisor) {
      if (this.#peers.size >= this.capacity - 1 || this.#selfId < from) return;
      const peer = { id: from, name: '' };
      supervisor = this.hooks.newSupervisor(peer);
      this.#peers.set(from, supervisor);
      this.hooks.emit('peer-join', { peer });
      this.hooks.changed();
    }
    supervisor.handleSignal(payload);
  }

  /** Forgets a peer and its link: `peer-leave`, and the room waits for someone to (re)join. */
  drop(supervisor: LinkSupervisor): void {
    if (this.#peers.get(supervisor.peer.id) !== supervisor) return;
    this.#peers.delete(supervisor.peer.id);
    supervisor.close();
    this.hooks.emit('peer-leave', { peer: supervisor.peer });
    this.hooks.changed();
    this.hooks.vacated();
  }

  /** Forgets everyone without a word (this side is leaving). */
  clear(): void {
    for (const supervisor of this.#peers.values()) supervisor.close();
    this.#peers.clear();
    this.#seen.clear();
  }

  /** The peer to give up first for a newcomer: one not connected, else the one who came first. */
  #leastConnected(): LinkSupervisor | undefined {
    return this.peers.find((peer) => !peer.connected) ?? this.peers[0];
  }
}
