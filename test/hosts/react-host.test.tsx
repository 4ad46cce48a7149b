// <p2p-call> embedded in a React 19 app: two components rendered by React join one call; properties are bound in
// JSX and the typed events reach React handlers, whose state React renders.
import { expect } from '@open-wc/testing';
import { createRoot, type Root } from 'react-dom/client';
import '../../src/p2p-call.js';
import type { P2PCall } from '../../src/index.js';
import { uniqueRoom, waitFor } from '../support/call-helpers.js';
import { InterviewCall } from './react/interview-call.js';

describe('<p2p-call> in a React 19 app', () => {
  let host: HTMLDivElement;
  let root: Root;
  const person = (name: string) => host.querySelector<HTMLElement>(`[data-person="${name}"]`)!;
  // Rendering is asynchronous: until the component is there, its text is undefined.
  const text = (name: string, selector: string) => person(name)?.querySelector(selector)?.textContent;
  const call = (name: string) => person(name).querySelector('p2p-call') as P2PCall;

  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
    root = createRoot(host);
  });

  afterEach(() => {
    root.unmount();
    host.remove();
  });

  it('joins a call with bound properties and renders typed events from React handlers', async () => {
    const room = uniqueRoom('react');
    root.render(
      <>
        <InterviewCall room={room} name="Ada" />
        <InterviewCall room={room} name="Grace" />
      </>,
    );

    // React state, set only by the p2p-state-change and p2p-peer-join handlers.
    await waitFor(
      () => text('Ada', '.state') === 'connected' && text('Grace', '.state') === 'connected',
      20_000,
      'both connected in React state',
    );
    await waitFor(
      () => text('Ada', '.partner') === 'Grace' && text('Grace', '.partner') === 'Ada',
      5_000,
      'partners named',
    );

    // Bound as properties (React 19 sets a prop the element has as a property), not as attributes.
    expect(call('Ada').iceServers).to.deep.equal([]);
    expect(call('Ada').hasAttribute('iceservers')).to.equal(false);
    expect(call('Ada').autoJoin).to.equal(true);
    expect(call('Ada').room).to.equal(room);

    // A React state change flows into the element's `muted` property and across the call.
    person('Ada').querySelector<HTMLButtonElement>('.mute')!.click();
    await waitFor(() => call('Ada').hasAttribute('muted'), 5_000, 'muted reflected on Ada');
    await waitFor(() => text('Grace', '.partner') === 'Ada (muted)', 10_000, "Grace's React view shows Ada muted");
    expect(
      call('Ada')
        .outgoingStream?.getAudioTracks()
        .every((track) => !track.enabled),
    ).to.equal(true);

    person('Ada').querySelector<HTMLButtonElement>('.mute')!.click();
    await waitFor(() => text('Grace', '.partner') === 'Ada', 10_000, "Grace's React view shows Ada unmuted");
  });

  it('leaves the call when React unmounts the element', async () => {
    const room = uniqueRoom('react-unmount');
    const render = (both: boolean) =>
      root.render(
        <>
          <InterviewCall room={room} name="Ada" />
          {both && <InterviewCall room={room} name="Grace" />}
        </>,
      );
    render(true);
    await waitFor(() => text('Ada', '.state') === 'connected', 20_000, 'Ada connected');
    const grace = call('Grace');
    const tracks = grace.outgoingStream!.getTracks();

    render(false);
    await waitFor(() => text('Ada', '.state') === 'waiting', 10_000, 'Ada back to waiting after Grace left');
    expect(grace.isConnected).to.equal(false);
    expect(tracks.every((track) => track.readyState === 'ended')).to.equal(true);
  });
});
