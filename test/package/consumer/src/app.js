// The bundled page: the element and the package's API from the ESM entry, as an app's bundler would take them.
import 'p2p-call/p2p-call.js';
import { CallState, P2PCall } from 'p2p-call';

const call = document.querySelector('p2p-call');
window.consumer = {
  sameClass: customElements.get('p2p-call') === P2PCall,
  received: [],
};
call.addEventListener('p2p-data', (event) => window.consumer.received.push(event.detail.data));
call.addEventListener('p2p-state-change', (event) => {
  if (event.detail.state === CallState.Connected) call.send({ from: 'bundled' });
});
call.room = new URLSearchParams(location.search).get('room');
call.signaling = `ws://${location.host}/signal`;
call.iceServers = [];
call.join();
