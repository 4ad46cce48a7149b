import { expect } from '@open-wc/testing';
import { BroadcastChannelSignaling, CallSession, type SignalingAdapter, type SignalingEvent } from '../../src/index.js';
import type { ErrorDetail } from '../../src/index.js';
import { liveTracks, uniqueRoom, waitFor } from '../support/call-helpers.js';

/** A host-made stream: a canvas that keeps painting, as an editor or whiteboard view would. */
function canvasStream(): { stream: MediaStream; stop: () => void } {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const context = canvas.getContext('2d')!;
  const timer = setInterval(() => {
    context.fillStyle = `hsl(${Date.now() % 360} 80% 50%)`;
    context.fillRect(0, 0, 320, 180);
  }, 30);
  return { stream: canvas.captureStream(30), stop: () => clearInterval(timer) };
}

/** Delivers every signal twice, as an at-least-once transport retrying after a reconnect would. */
class DuplicatingSignaling implements SignalingAdapter {
  constructor(private readonly inner: SignalingAdapter) {}
  join = (request: Parameters<SignalingAdapter['join']>[0]) => this.inner.join(request);
  send = (to: string, id: string, payload: Parameters<SignalingAdapter['send']>[2]) => this.inner.send(to, id, payload);
  leave = () => this.inner.leave();
  subscribe(listener: (event: SignalingEvent) => void) {
    return this.inner.subscribe((event) => {
      listener(event);
      if (event.type === 'signal') listener(event);
    });
  }
}

/** Never tells its session who else is in the room: the only news of the peer is its first signal. */
class SilentRoomSignaling extends DuplicatingSignaling {
  override subscribe(listener: (event: SignalingEvent) => void) {
    return super.subscribe((event) => {
      if (event.type === 'peer-joined') return;
      listener(event.type === 'joined' ? { ...event, peers: [] } : event);
    });
  }
}

function collectErrors(session: CallSession): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  session.events.on('error', (error) => errors.push(error));
  return errors;
}

describe('CallSession (no DOM)', () => {
  it('sends a host-provided stream and leaves its tracks running (the host owns them)', async () => {
    const room = uniqueRoom();
    const canvas = canvasStream();
    const a = new CallSession({ signaling: new BroadcastChannelSignaling(), room, localStream: canvas.stream });
    const b = new CallSession({ signaling: new BroadcastChannelSignaling(), room, media: { audio: false, video: false } });
    let remote: MediaStream | undefined;
    b.events.on('remote-stream', ({ stream }) => (remote = stream));
    await Promise.all([a.join(), b.join()]);
    await waitFor(() => a.state === 'connected' && b.state === 'connected', 15_000, 'connected');
    await waitFor(() => (remote?.getVideoTracks().length ?? 0) === 1, 5000, 'the canvas video at the other side');
    expect(b.cameraOff).to.equal(true); // receive-only: nothing captured
    a.destroy();
    b.destroy();
    expect(liveTracks(canvas.stream)).to.have.length(1);
    canvas.stop();
  });

  it('applies a duplicated signal once: no error, no negotiation loop', async () => {
    const room = uniqueRoom();
    const make = () =>
      new CallSession({ signaling: new DuplicatingSignaling(new BroadcastChannelSignaling()), room, media: { audio: true, video: false } });
    const [a, b] = [make(), make()];
    const errors = [...[a, b].map(collectErrors)];
    await Promise.all([a.join(), b.join()]);
    await waitFor(() => a.state === 'connected' && b.state === 'connected', 15_000, 'connected');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(errors.flat()).to.deep.equal([]);
    expect(a.state).to.equal('connected');
    a.destroy();
    b.destroy();
  });

  it('an offer that arrives before its sender is announced is held and answered, not lost', async () => {
    const room = uniqueRoom();
    const media = { audio: true, video: false };
    // `a-…` sorts first, so a offers; b hears of a only through that offer.
    const a = new CallSession({ signaling: new BroadcastChannelSignaling(), room, media, peerId: 'a-offerer' });
    const b = new CallSession({ signaling: new SilentRoomSignaling(new BroadcastChannelSignaling()), room, media, peerId: 'b-answerer' });
    const errors = [a, b].map(collectErrors);
    await Promise.all([b.join(), a.join()]);
    await waitFor(() => a.state === 'connected' && b.state === 'connected', 15_000, 'connected');
    expect(b.remotePeer?.id).to.equal('a-offerer');
    expect(errors.flat()).to.deep.equal([]);
    a.destroy();
    b.destroy();
  });

  it('drops negotiation data it does not understand with a bad-message error, and the call goes on', async () => {
    const room = uniqueRoom();
    const a = new CallSession({ signaling: new BroadcastChannelSignaling(), room, media: { audio: true, video: false } });
    const b = new CallSession({ signaling: new BroadcastChannelSignaling(), room, media: { audio: true, video: false } });
    const errors = collectErrors(b);
    await Promise.all([a.join(), b.join()]);
    await waitFor(() => a.state === 'connected' && b.state === 'connected', 15_000, 'connected');
    // A hostile page in the same room posts straight onto the channel, claiming to be `a`.
    const channel = new BroadcastChannel(`p2p-call:${room}`);
    channel.postMessage({ v: 1, type: 'signal', room, from: a.peerId, to: b.peerId, id: 'evil-1', payload: { type: 'explode' } });
    await waitFor(() => errors.length > 0, 5000, 'an error');
    expect(errors[0]).to.include({ code: 'bad-message', recoverable: true });
    expect(b.state).to.equal('connected');
    channel.close();
    a.destroy();
    b.destroy();
  });

  it('leave() during the camera prompt leaves nothing running', async () => {
    const session = new CallSession({ signaling: new BroadcastChannelSignaling(), room: uniqueRoom() });
    const streams: MediaStream[] = [];
    session.events.on('local-stream', ({ stream }) => streams.push(stream));
    const joining = session.join();
    session.leave();
    await joining;
    expect(session.state).to.equal('ended');
    expect(streams.flatMap(liveTracks)).to.have.length(0);
  });
});
