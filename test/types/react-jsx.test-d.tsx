// Type tests for the React 19 JSX typings: compiled by `npm run typecheck` (tsconfig.test.json), never run. Each
// expect-error directive below must meet an error, or the compiler reports the unused directive.
import type {} from '../../src/jsx/react.js';
import type { CallStateValue, P2PCallPropertyName } from '../../src/index.js';

type Expect<T extends true> = T;
export type Settable = [
  Expect<'room' extends P2PCallPropertyName ? true : false>,
  Expect<'iceServers' extends P2PCallPropertyName ? true : false>,
  Expect<'localStream' extends P2PCallPropertyName ? true : false>,
  // read-only getters, methods and LitElement's own members are not props
  Expect<'state' extends P2PCallPropertyName ? false : true>,
  Expect<'remoteStream' extends P2PCallPropertyName ? false : true>,
  Expect<'join' extends P2PCallPropertyName ? false : true>,
  Expect<'renderRoot' extends P2PCallPropertyName ? false : true>,
];

export const accepted = (
  <p2p-call
    room="interview-4711"
    signaling="broadcast"
    name="Ada"
    iceServers={[{ urls: 'turn:turn.example.com', username: 'u', credential: 'c' }]}
    muted
    cameraOff={false}
    autoJoin
    maxFileSize={1024}
    relay="forbid"
    ice-servers="[]"
    auto-join
    className="call"
    onp2p-state-change={(event) => {
      const state: CallStateValue = event.detail.state;
      return state;
    }}
    onp2p-peer-join={(event) => event.detail.peer.name.toUpperCase()}
    onp2p-error={(event) => event.detail.recoverable}
  >
    <video slot="remote" />
  </p2p-call>
);

// @ts-expect-error muted is a boolean
export const badMuted = <p2p-call muted="yes" />;

// @ts-expect-error state is read-only (the element reflects it)
export const readOnlyState = <p2p-call state="connected" />;

// @ts-expect-error relay is one of allow | forbid | only
export const badRelay = <p2p-call relay="sometimes" />;

// @ts-expect-error iceServers is an array of RTCIceServer
export const badIceServers = <p2p-call iceServers="[]" />;

// @ts-expect-error the detail of p2p-state-change has no `peer`
export const wrongDetail = <p2p-call onp2p-state-change={(event) => event.detail.peer} />;

// @ts-expect-error a listener receives the event, not a string
export const badListener = <p2p-call onp2p-peer-join={(event: string) => event} />;
