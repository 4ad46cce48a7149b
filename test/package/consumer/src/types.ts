// Type-checked against the installed packages' declarations (skipLibCheck off): the element, its events and the
// protocol from p2p-call; the server's API from p2p-call-server, whose types name p2p-call/protocol.
import 'p2p-call/p2p-call.js';
import { CallSession, P2PCall, WebSocketSignaling, type CallStateValue } from 'p2p-call';
import { PROTOCOL_VERSION, type ServerFrame } from 'p2p-call/protocol';
import { mintJoinToken, startSignalingServer, type SignalingServerOptions } from 'p2p-call-server';

const call: P2PCall = document.createElement('p2p-call');
call.addEventListener('p2p-state-change', (event) => {
  const state: CallStateValue = event.detail.state;
  console.log(state);
});
export const session = new CallSession({ signaling: new WebSocketSignaling('ws://127.0.0.1:8787/signal'), room: 'r' });
export const frame: ServerFrame | undefined = undefined;
export const version: number = PROTOCOL_VERSION;
const options: SignalingServerOptions = { port: 0, open: true };
export const server = startSignalingServer(options);
export const token: Promise<string> = mintJoinToken({ secret: 'x'.repeat(32), room: 'r', participant: 'p' });
