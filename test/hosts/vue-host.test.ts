// <p2p-call> embedded in a Vue 3 app: two single-file components join one call; properties are bound in the
// template and the typed events reach Vue handlers, whose state Vue renders. Type-checked by vue-tsc
// (tsconfig.vue.json); the .vue file is compiled by Vue's SFC compiler (test/support/wtr-framework-plugins.mjs).
import { expect } from '@open-wc/testing';
import { createApp, h, nextTick, ref, type App } from 'vue';
import '../../src/p2p-call.js';
import type { P2PCall } from '../../src/index.js';
import { uniqueRoom, waitFor } from '../support/call-helpers.js';
import InterviewCall from './vue/InterviewCall.vue';

describe('<p2p-call> in a Vue 3 app', () => {
  let host: HTMLDivElement;
  let app: App | undefined;
  const person = (name: string) => host.querySelector<HTMLElement>(`[data-person="${name}"]`)!;
  // Rendering is asynchronous: until the component is there, its text is undefined.
  const text = (name: string, selector: string) => person(name)?.querySelector(selector)?.textContent;
  const call = (name: string) => person(name).querySelector('p2p-call') as P2PCall;

  /** Mounts Ada and (while `withGrace` is true) Grace in one room. */
  function mount(room: string, withGrace = ref(true)) {
    app = createApp({
      render: () => [
        h(InterviewCall, { room, name: 'Ada' }),
        withGrace.value ? h(InterviewCall, { room, name: 'Grace' }) : null,
      ],
    });
    app.mount(host);
    return withGrace;
  }

  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
  });

  afterEach(() => {
    app?.unmount();
    app = undefined;
    host.remove();
  });

  it('joins a call with bound properties and renders typed events from Vue handlers', async () => {
    const room = uniqueRoom('vue');
    mount(room);

    // Vue state, set only by the p2p-state-change and p2p-peer-join handlers.
    await waitFor(
      () => text('Ada', '.state') === 'connected' && text('Grace', '.state') === 'connected',
      20_000,
      'both connected in Vue state',
    );
    await waitFor(
      () => text('Ada', '.partner') === 'Grace' && text('Grace', '.partner') === 'Ada',
      5_000,
      'partners named',
    );

    // Bound as properties (Vue sets a key the element has as a property), not as attributes.
    expect(call('Ada').iceServers).to.deep.equal([]);
    expect(call('Ada').hasAttribute('iceservers')).to.equal(false);
    expect(call('Ada').autoJoin).to.equal(true); // from the auto-join attribute
    expect(call('Ada').room).to.equal(room);

    // A Vue state change flows into the element's `muted` property and across the call.
    person('Ada').querySelector<HTMLButtonElement>('.mute')!.click();
    await nextTick();
    await waitFor(() => call('Ada').hasAttribute('muted'), 5_000, 'muted reflected on Ada');
    await waitFor(() => text('Grace', '.partner') === 'Ada (muted)', 10_000, "Grace's Vue view shows Ada muted");
    expect(
      call('Ada')
        .outgoingStream?.getAudioTracks()
        .every((track) => !track.enabled),
    ).to.equal(true);

    person('Ada').querySelector<HTMLButtonElement>('.mute')!.click();
    await waitFor(() => text('Grace', '.partner') === 'Ada', 10_000, "Grace's Vue view shows Ada unmuted");
  });

  it('leaves the call when Vue removes the element', async () => {
    const room = uniqueRoom('vue-unmount');
    const withGrace = mount(room);
    await waitFor(() => text('Ada', '.state') === 'connected', 20_000, 'Ada connected');
    const grace = call('Grace');
    const tracks = grace.outgoingStream!.getTracks();

    withGrace.value = false;
    await waitFor(() => text('Ada', '.state') === 'waiting', 10_000, 'Ada back to waiting after Grace left');
    expect(grace.isConnected).to.equal(false);
    expect(tracks.every((track) => track.readyState === 'ended')).to.equal(true);
  });
});
