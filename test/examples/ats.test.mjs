// examples/ats: the interviewer's candidate list and the candidate's page, served by the toy ATS backend, reach
// connected with the call's signaling carried by the ATS's own live channel (SSE + POST) through CallbackSignaling.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startAts } from '../../examples/ats/server.mjs';
import { launchBrowser, openPage, press, waitForCallState } from './browser.mjs';

let ats;
let browser;

before(async () => {
  ats = await startAts({ port: 0 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await ats?.close();
});

const text = (page, selector) => page.$eval(selector, (element) => element.textContent);

test('interviewer and candidate connect through the ATS live channel', async () => {
  const interviewer = await openPage(browser, `${ats.url}/`);
  await press(interviewer, 'button[data-interview="4711"]');
  await waitForCallState(interviewer, 'waiting', { scope: '#panel' });
  assert.equal(await text(interviewer, '#panel-title'), 'Interview with Grace Hopper');
  const invite = await text(interviewer, '#invite-link');
  assert.equal(invite, `${ats.url}/candidate?interview=4711`);

  const candidate = await openPage(browser, invite);
  await press(candidate, '#join');

  await waitForCallState(interviewer, 'connected', { scope: '#panel' });
  await waitForCallState(candidate, 'connected', { scope: '#panel' });
  assert.equal(await text(interviewer, '#panel .status'), 'Connected with Grace Hopper');
  assert.equal(await text(candidate, '#panel .status'), 'Connected with your interviewer');
  assert.equal(await interviewer.$eval('#panel p2p-call', (call) => call.remotePeer?.name), 'Candidate');

  // The call had no signaling URL: every envelope went through the ATS backend.
  const signaling = await candidate.$eval('#panel p2p-call', async (call) => ({
    adapter: call.signaling instanceof (await import('/dist/p2p-call.min.js')).CallbackSignaling,
    attribute: call.getAttribute('signaling'),
  }));
  assert.deepEqual(signaling, { adapter: true, attribute: null });
  assert.ok(ats.live.relayed >= 4, `relayed ${ats.live.relayed} envelopes`); // hello, here, offer, answer at least

  // Ending the interview: the candidate's call goes back to waiting for the other person.
  await press(interviewer, '#end');
  await waitForCallState(candidate, 'waiting', { scope: '#panel' });
  assert.equal(await text(candidate, '#panel .status'), 'Waiting for your interviewer…');
  assert.deepEqual([...interviewer.log, ...candidate.log], []);
});

test('the live channel relays only well-formed call signals of one interview', async () => {
  const post = (body) =>
    fetch(`${ats.url}/live`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
      (r) => r.status,
    );
  assert.equal(await post('not json'), 400);
  assert.equal(await post(JSON.stringify({ kind: 'other', interviewId: '4711', envelope: {} })), 400);
  assert.equal(await post(JSON.stringify({ kind: 'call-signal', interviewId: '../x', envelope: {} })), 400);
  assert.equal(await post(JSON.stringify({ kind: 'call-signal', interviewId: '4711', envelope: { v: 1 } })), 204);
  assert.equal((await fetch(`${ats.url}/live?interview=..%2F`)).status, 400);
});
