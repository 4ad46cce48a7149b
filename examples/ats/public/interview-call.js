// The glue between the ATS's own live channel and the call: a CallbackSignaling whose envelopes go up by POST and
// come down the page's event stream. The ATS backend only forwards them; it never reads them.
import { CallbackSignaling } from '/dist/p2p-call.min.js'; // the script-tag bundle is an ES module: the same instance the page loaded

/** Opens the ATS live channel for an interview; resolves once the server said hello. */
function openLiveChannel(interviewId) {
  const events = new EventSource(`/live?interview=${encodeURIComponent(interviewId)}`);
  return new Promise((resolve, reject) => {
    events.addEventListener('error', () => reject(new Error('The live channel is unavailable.')), { once: true });
    events.addEventListener('message', function welcome(event) {
      const message = JSON.parse(event.data);
      if (message.kind !== 'welcome') return;
      events.removeEventListener('message', welcome);
      resolve({ events, clientId: message.clientId });
    });
  });
}

/**
 * Puts a <p2p-call> for `interviewId` into `panel` and joins it. Returns the element and an `end()` that hangs up
 * and closes the channel.
 */
export async function openInterviewCall({ interviewId, name, panel }) {
  const { events, clientId } = await openLiveChannel(interviewId);

  // POSTs are chained so envelopes arrive in the order they were sent.
  let outbox = Promise.resolve();
  const signaling = new CallbackSignaling({
    send: (envelope) => {
      const body = JSON.stringify({ kind: 'call-signal', interviewId, clientId, envelope });
      outbox = outbox
        .then(() => fetch('/live', { method: 'POST', headers: { 'content-type': 'application/json' }, body }))
        .catch(() => {}); // a lost envelope shows up as a call that does not connect, reported by the element
    },
  });
  events.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    if (message.kind === 'call-signal' && message.interviewId === interviewId) signaling.receive(message.envelope);
  });

  const call = document.createElement('p2p-call');
  call.room = `interview-${interviewId}`;
  call.name = name;
  call.signaling = signaling; // an adapter object instead of a URL
  call.iceServers = []; // your STUN/TURN servers here; none is needed on one machine or one LAN
  panel.append(call);
  await call.join();

  return {
    call,
    end() {
      call.leave();
      call.remove();
      events.close();
    },
  };
}
