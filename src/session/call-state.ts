/** The states of a call, as the `state` attribute shows them. */
export const CallState = {
  /** Not joined yet (or created without auto-join). */
  Idle: 'idle',
  /** Asking for camera/mic and entering the room. */
  Joining: 'joining',
  /** In the room, alone: waiting for the other person. */
  Waiting: 'waiting',
  /** The other person is here; the peer connection is being set up. */
  Connecting: 'connecting',
  /** Media and data flow directly between the two browsers. */
  Connected: 'connected',
  /** The media path was interrupted and is being restored. */
  Reconnecting: 'reconnecting',
  /** Left the call; every track is stopped. */
  Ended: 'ended',
  /** A fatal error stopped the call (see the last `error` event). */
  Error: 'error',
} as const;

export type CallState = (typeof CallState)[keyof typeof CallState];

/** States in which the session holds resources (media, signaling, a peer). */
export function isActive(state: CallState): boolean {
  return state !== CallState.Idle && state !== CallState.Ended && state !== CallState.Error;
}

/**
 * Where this side is in its own life, apart from any peer: not joined, entering the room (camera, signaling), in the
 * room, or out of it (left, or stopped by a fatal error).
 */
export type SessionPhase = 'idle' | 'joining' | 'joined' | 'ended' | 'failed';

/** What the state says about one remote peer. */
export interface PeerFacts {
  /** Its connection is up: the data channel is open and no recovery is running. */
  connected: boolean;
  /** It was connected at least once since it joined: a loss now is a reconnect, not a first connect. */
  wasConnected: boolean;
}

export interface CallFacts {
  phase: SessionPhase;
  /** The remote peers in the room as this side knows them (one in a two-person call). */
  peers: readonly PeerFacts[];
}

/**
 * The public state, from the facts alone. Nothing else decides it: the session recomputes it whenever a fact changes
 * and emits `state-change` when the result differs.
 *
 * In the room: nobody else -> waiting; anyone connected -> connected; else anyone connected before -> reconnecting;
 * else -> connecting.
 */
export function deriveCallState({ phase, peers }: CallFacts): CallState {
  switch (phase) {
    case 'idle':
      return CallState.Idle;
    case 'joining':
      return CallState.Joining;
    case 'ended':
      return CallState.Ended;
    case 'failed':
      return CallState.Error;
  }
  if (peers.length === 0) return CallState.Waiting;
  if (peers.some((peer) => peer.connected)) return CallState.Connected;
  if (peers.some((peer) => peer.wasConnected)) return CallState.Reconnecting;
  return CallState.Connecting;
}
