import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { styleMap } from 'lit/directives/style-map.js';
import { withActions } from 'storybook/actions/decorator';
import type { P2PCall } from '../src/index.js';
import { attributeArgTypes, attributes } from './attribute-controls.js';
import { startFakeEditor } from './fake-editor.js';

/** The element's attributes, as story args: every story is configured the way a host page would write it. */
interface CallArgs {
  room: string;
  signaling: string;
  name: string;
  token: string;
  'ice-servers': string;
  'auto-join': boolean;
  muted: boolean;
  'camera-off': boolean;
  'max-file-size': number;
  relay: string;
}

/**
 * Story args: the attributes, story-only knobs (the right-hand person's name, a file size), and the manifest's
 * other members (property twins, CSS properties), which get table rows but no controls.
 */
type StoryArgs = CallArgs & { partnerName?: string; megabytes?: number; [manifestMember: string]: unknown };

const EVENTS = [
  'p2p-state-change',
  'p2p-peer-join',
  'p2p-peer-leave',
  'p2p-local-stream',
  'p2p-remote-stream',
  'p2p-local-media',
  'p2p-remote-media',
  'p2p-share-start',
  'p2p-share-end',
  'p2p-data',
  'p2p-chat',
  'p2p-file-offer',
  'p2p-file-progress',
  'p2p-file-received',
  'p2p-file-sent',
  'p2p-file-cancel',
  'p2p-error',
];

/** One <p2p-call> with the given attributes (every one in the manifest); '' and false leave the attribute out. */
const call = (
  args: Partial<CallArgs>,
  {
    slot = nothing as unknown,
    style = {} as Record<string, string>,
    onRef = undefined as ((element: P2PCall) => void) | undefined,
  } = {},
) => html`
  <p2p-call ${attributes(args)} style=${styleMap(style)} ${ref((element) => element && onRef?.(element as P2PCall))}
    >${slot}</p2p-call
  >
`;

/** Two calls side by side, each under a caption (what each person sees). */
const sideBySide = (left: unknown, right: unknown, captions: [string, string]) => html`
  <div
    style="display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; font: 13px system-ui, sans-serif; color: #5d6874;"
  >
    <figure style="margin: 0; display: grid; gap: 6px;">
      ${left}
      <figcaption>${captions[0]}</figcaption>
    </figure>
    <figure style="margin: 0; display: grid; gap: 6px;">
      ${right}
      <figcaption>${captions[1]}</figcaption>
    </figure>
  </div>
`;

// A room per story and per page load, so two open Storybook tabs never join each other's calls.
const uniqueRoom = (story: string) => `storybook-${story}-${Math.random().toString(36).slice(2, 8)}`;

const noControl = { control: false } as const;

const meta = {
  title: 'Components/p2p-call',
  component: 'p2p-call',
  decorators: [
    withActions,
    // A host gives the element a width; its height follows --p2p-call-aspect-ratio.
    (story, { parameters }) => html`<div style="max-width: ${parameters.maxWidth ?? '640px'}">${story()}</div>`,
  ],
  parameters: {
    actions: { handles: EVENTS },
    docs: {
      description: {
        component:
          'Stories set attributes only, as a host page would. Events appear in the Actions panel. Calls use `signaling="broadcast"` (no server) and `ice-servers="[]"` (no STUN): everything stays inside this browser.',
      },
    },
  },
  render: (args) => call(args),
  args: {
    room: 'storybook',
    signaling: 'broadcast',
    name: '',
    token: '',
    'ice-servers': '[]',
    'auto-join': false,
    muted: false,
    'camera-off': false,
  },
  argTypes: {
    // A control for every attribute in custom-elements.json; the entries below refine some of them.
    ...attributeArgTypes,
    relay: { control: 'select', options: ['allow', 'forbid', 'only'] },
    room: { control: 'text' },
    signaling: {
      control: 'text',
      description: 'A `ws://`/`wss://` signaling URL, or `broadcast` (tabs of one browser).',
    },
    name: { control: 'text' },
    token: { control: 'text' },
    'ice-servers': { control: 'text' },
    'auto-join': { control: 'boolean' },
    muted: { control: 'boolean' },
    'camera-off': { control: 'boolean' },
    'max-file-size': {
      control: 'number',
      description: 'Largest file sent or accepted, in bytes (1 GiB when left out).',
    },
    // Property twins of the attributes, read-only properties and slots: documented from the manifest, no controls.
    iceServers: noControl,
    autoJoin: noControl,
    cameraOff: noControl,
    maxFileSize: noControl,
    localShareStream: noControl,
    remoteShareStream: noControl,
    localStream: noControl,
    state: noControl,
    remoteStream: noControl,
    remotePeer: noControl,
    outgoingStream: noControl,
    local: noControl,
    remote: noControl,
    aux: noControl,
  },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** The right-hand person's name in the two-element stories. */
const partnerArgType = {
  partnerName: { control: 'text', name: 'name (right)', table: { category: 'story' } },
} satisfies Story['argTypes'];

/** Before joining: the lobby (camera preview, microphone level, device pickers, name, Join). */
export const Idle: Story = {
  args: { room: 'storybook-idle' },
};

/**
 * Two elements in one room, connected over BroadcastChannel: each shows the other's camera full size and its own
 * in the corner. Both join on their own (`auto-join`).
 */
export const TwoPeople: Story = {
  name: 'Two people (BroadcastChannel)',
  tags: ['!autodocs'],
  parameters: { maxWidth: '1100px' },
  args: { room: uniqueRoom('two-people'), name: 'Ada', 'auto-join': true },
  argTypes: partnerArgType,
  render: (args) => {
    const { partnerName = 'Grace', ...left } = args;
    return sideBySide(call(left), call({ ...left, name: partnerName }), [
      `${left.name || 'Left'}'s view`,
      `${partnerName || 'Right'}'s view`,
    ]);
  },
};

/** `muted` and `camera-off` set before joining: the call starts with the microphone muted and the camera off. */
export const MutedAndCameraOff: Story = {
  name: 'Muted and camera off',
  tags: ['!autodocs'],
  args: { room: uniqueRoom('muted'), name: 'Ada', 'auto-join': true, muted: true, 'camera-off': true },
};

const THEME = {
  '--p2p-call-background': '#fdf6ec',
  '--p2p-call-surface': '#f1e4d0',
  '--p2p-call-foreground': '#3b2f24',
  '--p2p-call-muted-foreground': '#7a6753',
  '--p2p-call-accent': '#0f766e',
  '--p2p-call-danger': '#b42318',
  '--p2p-call-radius': '24px',
  '--p2p-call-font': "Georgia, 'Times New Roman', serif",
  '--p2p-call-control-size': '52px',
  '--p2p-call-focus-ring': '3px solid #0f766e',
  '--p2p-call-aspect-ratio': '4 / 3',
};

/** The element's look comes from `--p2p-call-*` custom properties set by the host page (see the CSS tables). */
export const CustomTheme: Story = {
  name: 'Custom theme',
  args: { room: 'storybook-theme', ...THEME },
  argTypes: Object.fromEntries(
    Object.keys(THEME).map((property) => [
      property,
      {
        control:
          property.endsWith('ground') ||
          property.endsWith('accent') ||
          property.endsWith('danger') ||
          property.endsWith('surface')
            ? 'color'
            : 'text',
        table: { category: 'css custom properties' },
      },
    ]),
  ),
  render: (args) => {
    const style = Object.fromEntries(
      Object.keys(THEME).map((property) => [property, String((args as unknown as Record<string, string>)[property])]),
    );
    return call(args, { style });
  },
};

/**
 * The host's own `<video>` elements in the `local` and `remote` slots receive the streams (left); the built-in
 * views are replaced. The right element is a plain partner in the same room.
 */
export const SlottedVideos: Story = {
  name: 'Slotted videos',
  tags: ['!autodocs'],
  parameters: { maxWidth: '1100px' },
  args: { room: uniqueRoom('slotted'), name: 'Ada', 'auto-join': true },
  render: (args) => {
    const videoStyle = 'width: 100%; height: 100%; object-fit: cover; filter: saturate(0.2) contrast(1.1);';
    const slotted = html`
      <video slot="remote" autoplay playsinline style=${videoStyle}></video>
      <video
        slot="local"
        autoplay
        playsinline
        muted
        style="${videoStyle} border: 3px solid #f5b700; box-sizing: border-box;"
      ></video>
    `;
    return sideBySide(call(args, { slot: slotted }), call({ ...args, name: 'Grace' }), [
      'Host-provided videos (desaturated, yellow frame) in the remote and local slots',
      'Partner with the built-in views',
    ]);
  },
};

/** A configuration mistake (here, `ice-servers` that is not JSON) is reported by `p2p-error` and shown in the element. */
export const InvalidConfiguration: Story = {
  name: 'Invalid configuration',
  args: { room: 'storybook-invalid', 'ice-servers': 'stun:not-json', 'auto-join': true },
};

// ---- Sharing, files and chat: two connected elements, driven through their public methods ----

/** Runs `setup` once per element, however often Storybook re-renders the story around it. */
const once = () => {
  const seen = new WeakSet<Element>();
  return (element: Element) => {
    if (seen.has(element)) return false;
    seen.add(element);
    return true;
  };
};

/** Calls `onConnected` each time the element's call becomes connected (again, after a reconnect). */
const whenConnected = (element: P2PCall, onConnected: () => void) => {
  if (element.state === 'connected') onConnected();
  element.addEventListener('p2p-state-change', (event) => {
    if (event.detail.state === 'connected') onConnected();
  });
};

/**
 * Calls `stop` once the story's element has been in the page and left it again (Storybook moved to another story).
 * `current` names the element as it is now: Storybook may render a story more than once before one stays.
 */
const whenGone = (current: () => Element | undefined, stop: () => void) => {
  let seen = false;
  const timer = setInterval(() => {
    const element = current();
    if (element?.isConnected) seen = true;
    else if (seen) {
      clearInterval(timer);
      stop();
    }
  }, 1000);
};

const toolbarStyle =
  'display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; margin-bottom: 12px; font: 13px system-ui, sans-serif; color: #5d6874;';
const buttonStyle =
  'font: inherit; padding: 6px 14px; border-radius: 8px; border: 1px solid #2f7cf6; background: #2f7cf6; color: #fff; cursor: pointer;';

/** A row of story controls above the calls: what a host page's own buttons would be. */
const toolbar = (content: unknown) => html`<div class="story-toolbar" style=${toolbarStyle}>${content}</div>`;

/**
 * The left person shares a `<canvas>` (here a code editor drawn by the story) with
 * `shareStream(canvas.captureStream(30))` as soon as the call connects. The right element shows the share large in
 * its aux view and the sharer's camera in a corner; the left one shows a small "You are sharing" preview. The
 * button above stops and restarts the share (`stopSharing()` / `shareStream()`); the camera keeps flowing.
 */
export const ShareCanvas: Story = {
  name: 'Share a canvas',
  tags: ['!autodocs'],
  parameters: { maxWidth: '1100px' },
  args: { room: uniqueRoom('share'), name: 'Ada', 'auto-join': true },
  argTypes: partnerArgType,
  render: (args) => {
    const { partnerName = 'Grace', ...left } = args;
    const first = once();
    let button: HTMLButtonElement | undefined;
    let status: HTMLElement | undefined;
    let caller: P2PCall | undefined;
    let wanted = true;
    let stream: MediaStream | undefined;

    const share = () => {
      if (!caller || caller.state !== 'connected' || caller.localShareStream) return;
      stream = editor.captureStream(30);
      caller.shareStream(stream);
    };
    const toggle = () => {
      wanted = !caller?.localShareStream;
      if (wanted) share();
      else caller?.stopSharing();
    };
    const show = () => {
      const sharing = Boolean(caller?.localShareStream);
      if (button) {
        button.textContent = sharing ? 'Stop sharing' : 'Share the editor';
        button.disabled = caller?.state !== 'connected';
      }
      if (status) {
        status.textContent =
          caller?.state !== 'connected'
            ? 'Waiting for the two calls to connect…'
            : sharing
              ? `${left.name || 'Left'} shares the canvas; ${partnerName || 'right'} sees it large.`
              : 'Not sharing: the camera alone.';
      }
    };

    const editor = document.createElement('canvas');
    const stopEditor = startFakeEditor(editor);

    const setup = (element: P2PCall) => {
      if (!first(element)) return;
      caller ??= element;
      whenConnected(element, () => {
        // The element that connects is the one in the page.
        caller = element;
        if (wanted) share();
        show();
      });
      element.addEventListener('p2p-state-change', show);
      element.addEventListener('p2p-share-start', show);
      element.addEventListener('p2p-share-end', (event) => {
        // The host owns the stream it shared: stop its track once the element is done with it.
        if (event.detail.side === 'local') event.detail.stream.getTracks().forEach((track) => track.stop());
        show();
      });
      show();
    };
    whenGone(
      () => caller,
      () => {
        stopEditor();
        stream?.getTracks().forEach((track) => track.stop());
      },
    );

    return html`
      ${toolbar(html`
        <button
          style=${buttonStyle}
          disabled
          ${ref((el) => (button = el as HTMLButtonElement | undefined))}
          @click=${toggle}
        >
          Stop sharing
        </button>
        <span ${ref((el) => (status = el as HTMLElement | undefined))}>Waiting for the two calls to connect…</span>
      `)}
      ${sideBySide(call(left, { onRef: setup }), call({ ...left, name: partnerName }), [
        `${left.name || 'Left'}'s view: sharing, with a small preview of the share`,
        `${partnerName || 'Right'}'s view: the share large, ${left.name || 'the sharer'}'s camera in the corner`,
      ])}
    `;
  },
};

/** A few-MB Blob that looks like a PDF (a header, then random bytes), made in the page: nothing is downloaded. */
const fakePdf = (megabytes: number) => {
  const size = Math.max(1, Math.round(megabytes * 1024 * 1024));
  const bytes = new Uint8Array(size);
  // getRandomValues fills at most 64 KiB per call.
  for (let offset = 0; offset < size; offset += 65536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65536)));
  }
  bytes.set(new TextEncoder().encode('%PDF-1.7\n'.slice(0, size)));
  return new Blob([bytes], { type: 'application/pdf' });
};

/**
 * `sendFile(blob, name)` from either side: the story makes a PDF-named file of the chosen size in the page and
 * offers it. Both elements list the transfer with a progress bar; the receiver gets `p2p-file-received` (its
 * digest checked) and a Save link. Dropping a file onto either element, or its file button, does the same.
 */
export const SendFile: Story = {
  name: 'Send a file',
  tags: ['!autodocs'],
  parameters: { maxWidth: '1100px' },
  args: { room: uniqueRoom('file'), name: 'Ada', 'auto-join': true, megabytes: 8 },
  argTypes: {
    ...partnerArgType,
    megabytes: { control: { type: 'number', min: 1, max: 500 }, name: 'file size (MB)', table: { category: 'story' } },
  },
  render: (args) => {
    const { partnerName = 'Grace', megabytes = 8, ...left } = args;
    const calls: Array<P2PCall | undefined> = [undefined, undefined];
    const buttons: Array<HTMLButtonElement | undefined> = [undefined, undefined];
    let status: HTMLElement | undefined;
    const names = [left.name || 'Left', partnerName || 'Right'];
    const first = once();

    const enable = () =>
      buttons.forEach((button, index) => {
        if (button) button.disabled = calls[index]?.state !== 'connected';
      });
    const send = async (index: number) => {
      const sender = calls[index];
      if (!sender) return;
      const name = index === 0 ? `contract-draft-v${Math.floor(Math.random() * 9) + 2}.pdf` : 'signed-scan.pdf';
      if (status) status.textContent = `${names[index]} offers ${name} (${megabytes} MB)…`;
      const result = await sender.sendFile(fakePdf(megabytes), name);
      if (status) {
        status.textContent = `${name}: ${result.status}${result.reason ? ` (${result.reason})` : ''}`;
      }
    };
    const setup = (index: number) => (element: P2PCall) => {
      if (!first(element)) return;
      calls[index] ??= element;
      whenConnected(element, () => {
        // The element that connects is the one in the page (Storybook may render a story twice).
        calls[index] = element;
        enable();
      });
      element.addEventListener('p2p-state-change', enable);
      enable();
    };
    const sendButton = (index: number) =>
      html`<button
        style=${buttonStyle}
        disabled
        ${ref((el) => (buttons[index] = el as HTMLButtonElement | undefined))}
        @click=${() => send(index)}
      >
        ${names[index]} sends a PDF (${megabytes} MB)
      </button>`;

    return html`
      ${toolbar(html`
        ${sendButton(0)} ${sendButton(1)}
        <span ${ref((el) => (status = el as HTMLElement | undefined))}>Made in this page; sent peer to peer.</span>
      `)}
      ${sideBySide(call(left, { onRef: setup(0) }), call({ ...left, name: partnerName }, { onRef: setup(1) }), [
        `${names[0]}'s view`,
        `${names[1]}'s view`,
      ])}
    `;
  },
};

/**
 * The built-in chat (the speech-bubble button): both panels open, and once connected each side says a line with
 * `sendChat()`. Type into either panel to continue; every line is also a `p2p-chat` event on both sides.
 */
export const Chat: Story = {
  tags: ['!autodocs'],
  parameters: { maxWidth: '1100px' },
  args: { room: uniqueRoom('chat'), name: 'Ada', 'auto-join': true },
  argTypes: partnerArgType,
  render: (args) => {
    const { partnerName = 'Grace', ...left } = args;
    const first = once();
    const openChat = async (element: P2PCall) => {
      await element.updateComplete;
      const button = element.shadowRoot?.querySelector<HTMLButtonElement>('[part="chat-button"]');
      if (button?.getAttribute('aria-pressed') === 'false') button.click();
    };
    const setup = (speaker: 'first' | 'second') => (element: P2PCall) => {
      if (!first(element)) return;
      let said = false;
      whenConnected(element, () => {
        void openChat(element);
        if (speaker === 'first' && !said) {
          said = true;
          element.sendChat(`Hi ${partnerName}! Shall we go through the contract?`);
        }
      });
      if (speaker === 'second') {
        element.addEventListener('p2p-chat', (event) => {
          if (event.detail.from === 'remote' && !said) {
            said = true;
            element.sendChat('Sure, send it over: I will have a look now.');
          }
        });
      }
    };
    return sideBySide(
      call(left, { onRef: setup('first') }),
      call({ ...left, name: partnerName }, { onRef: setup('second') }),
      [`${left.name || 'Left'}'s view`, `${partnerName || 'Right'}'s view`],
    );
  },
};
