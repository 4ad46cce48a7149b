import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { styleMap } from 'lit/directives/style-map.js';
import { withActions } from 'storybook/actions/decorator';

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
}

const EVENTS = [
  'p2p-state-change',
  'p2p-peer-join',
  'p2p-peer-leave',
  'p2p-local-stream',
  'p2p-remote-stream',
  'p2p-local-media',
  'p2p-remote-media',
  'p2p-error',
];

/** One <p2p-call> with the given attributes; empty strings and false booleans leave the attribute out. */
const call = (
  args: Partial<CallArgs>,
  { slot = nothing as unknown, style = {} as Record<string, string> } = {},
) => html`
  <p2p-call
    room=${ifDefined(args.room || undefined)}
    signaling=${ifDefined(args.signaling || undefined)}
    name=${ifDefined(args.name || undefined)}
    token=${ifDefined(args.token || undefined)}
    ice-servers=${ifDefined(args['ice-servers'] ?? undefined)}
    ?auto-join=${args['auto-join']}
    ?muted=${args.muted}
    ?camera-off=${args['camera-off']}
    style=${styleMap(style)}
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
    // Property twins of the attributes, read-only properties and slots: documented from the manifest, no controls.
    iceServers: noControl,
    autoJoin: noControl,
    cameraOff: noControl,
    localStream: noControl,
    state: noControl,
    remoteStream: noControl,
    remotePeer: noControl,
    outgoingStream: noControl,
    local: noControl,
    remote: noControl,
    aux: noControl,
  },
} satisfies Meta<CallArgs>;

export default meta;
type Story = StoryObj<CallArgs>;

/** Before joining: the built-in view and the Join button. Nothing is requested until Join is pressed. */
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
  argTypes: { partnerName: { control: 'text', name: 'name (right)', table: { category: 'story' } } },
  render: (args) => {
    const { partnerName = 'Grace', ...left } = args as CallArgs & { partnerName?: string };
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
  args: { room: 'storybook-theme', ...THEME } as CallArgs,
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
