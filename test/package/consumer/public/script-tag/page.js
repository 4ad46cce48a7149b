// The script-tag page: the installed package's dist/p2p-call.min.js served as it is, the element used through the
// DOM and the classes the bundle exports.
import { CallState } from '/dist/p2p-call.min.js';

const call = document.querySelector('p2p-call');
window.consumer = { received: [] };
call.addEventListener('p2p-data', (event) => window.consumer.received.push(event.detail.data));
call.addEventListener('p2p-state-change', (event) => {
  if (event.detail.state === CallState.Connected) call.send({ from: 'script-tag' });
});
call.setAttribute('room', new URLSearchParams(location.search).get('room'));
call.setAttribute('signaling', `ws://${location.host}/signal`);
call.join();
