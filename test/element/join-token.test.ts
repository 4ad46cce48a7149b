import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { nextEvent, uniqueRoom, waitForState } from '../support/call-helpers.js';
import { callPair } from '../support/two-party.js';

function mint(room: string, participant: string, ttlSeconds = 300): Promise<string> {
  return executeServerCommand('mint-token', { room, participant, ttlSeconds }) as Promise<string>;
}

describe('<p2p-call> with a token-protected signaling server', () => {
  it('joins with tokens minted by the host backend, as the token’s participant', async () => {
    const url = (await executeServerCommand('token-signaling-url')) as string;
    const { a, b, room } = await callPair(url, { autoJoin: false });
    a.token = await mint(room, 'candidate-17');
    b.token = await mint(room, 'interviewer-3');
    void a.join();
    void b.join();
    await waitForState(a, 'connected');
    await waitForState(b, 'connected');
    expect(a.remotePeer?.id).to.equal('interviewer-3');
    expect(b.remotePeer?.id).to.equal('candidate-17');
  });

  it('a forged token is refused with a clear error and no retry storm', async () => {
    const url = (await executeServerCommand('token-signaling-url')) as string;
    const room = uniqueRoom();
    const { a } = await callPair(url, { autoJoin: false });
    a.room = room;
    const genuine = await mint(room, 'mallory');
    const [header, payload] = genuine.split('.');
    a.token = `${header}.${payload}.${'A'.repeat(43)}`; // a signature the server never made
    const error = nextEvent(a, 'p2p-error');
    await a.join();
    const { detail } = await error;
    expect(detail.code).to.equal('signaling-unavailable');
    expect(detail.message).to.contain('join token');
    await waitForState(a, 'error');
  });
});
