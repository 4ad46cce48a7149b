// A React 19 host component, as a host app would write it: properties and events bound in JSX, no refs.
// docs/embedding.md shows this file as it is.
import { useState } from 'react';
import type {} from '../../../src/jsx/react.js';
import type { CallStateValue } from '../../../src/index.js';

const NO_ICE_SERVERS: RTCIceServer[] = []; // stable identity: a new array each render would re-set the property

export function InterviewCall({ room, name }: { room: string; name: string }) {
  const [state, setState] = useState<CallStateValue>('idle');
  const [partner, setPartner] = useState('');
  const [muted, setMuted] = useState(false);
  const [partnerMuted, setPartnerMuted] = useState(false);

  return (
    <section data-person={name}>
      <p className="state">{state}</p>
      <p className="partner">{partner && `${partner}${partnerMuted ? ' (muted)' : ''}`}</p>
      <button className="mute" onClick={() => setMuted(!muted)}>
        {muted ? 'Unmute' : 'Mute'}
      </button>
      <p2p-call
        room={room}
        name={name}
        signaling="broadcast"
        iceServers={NO_ICE_SERVERS}
        muted={muted}
        autoJoin
        onp2p-state-change={(event) => setState(event.detail.state)}
        onp2p-peer-join={(event) => setPartner(event.detail.peer.name)}
        onp2p-remote-media={(event) => setPartnerMuted(event.detail.muted)}
      />
    </section>
  );
}
