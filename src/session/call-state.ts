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
