import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';

/**
 * The embedding surface: the pre-join lobby, the call's states, light and dark themes, languages, a narrow
 * container and the latency warning. Every story sets attributes only, as a host page would.
 */
interface Args {
  lang: string;
  theme: 'auto' | 'light' | 'dark';
  layout: 'auto' | 'pip' | 'side-by-side' | 'share-focused';
  'latency-budget': number;
  'no-lobby': boolean;
}

const room = (story: string) => `storybook-${story}-${Math.random().toString(36).slice(2, 8)}`;

const element = (args: Partial<Args>, extra: { room: string; name?: string; autoJoin?: boolean; width?: string }) => html`
  <p2p-call
    room=${extra.room}
    signaling="broadcast"
    ice-servers="[]"
    name=${ifDefined(extra.name)}
    lang=${ifDefined(args.lang || undefined)}
    theme=${ifDefined(args.theme === 'auto' ? undefined : args.theme)}
    layout=${ifDefined(args.layout === 'auto' ? undefined : args.layout)}
    latency-budget=${ifDefined(args['latency-budget'] || undefined)}
    ?no-lobby=${args['no-lobby']}
    ?auto-join=${extra.autoJoin}
    style=${extra.width ? `width:${extra.width}` : ''}
  ></p2p-call>
`;

/** Both people, each auto-joining: what each one sees. */
const pair = (args: Partial<Args>, story: string, width?: string) => {
  const shared = room(story);
  return html`<div style="display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start">
    ${element(args, { room: shared, name: 'Ada', autoJoin: true, width })} ${element(args, { room: shared, name: 'Grace', autoJoin: true, width })}
  </div>`;
};

const meta = {
  title: 'Components/p2p-call/Embedding',
  component: 'p2p-call',
  decorators: [(story, { parameters }) => html`<div style="max-width:${parameters.maxWidth ?? '720px'}">${story()}</div>`],
  args: { lang: '', theme: 'auto', layout: 'auto', 'latency-budget': 0, 'no-lobby': false },
  argTypes: {
    lang: { control: 'select', options: ['', 'en', 'de', 'zh-CN', 'es', 'fr', 'pt-BR', 'ja', 'hi'] },
    theme: { control: 'inline-radio', options: ['auto', 'light', 'dark'] },
    layout: { control: 'inline-radio', options: ['auto', 'pip', 'side-by-side', 'share-focused'] },
    'latency-budget': { control: 'number' },
    'no-lobby': { control: 'boolean' },
  },
  render: (args) => element(args, { room: room('lobby'), name: 'Ada' }),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** Before joining: camera preview, microphone level, device pickers, name and Join. */
export const Lobby: Story = {};

export const LobbyDark: Story = { name: 'Lobby (dark)', args: { theme: 'dark' } };

export const LobbyGerman: Story = { name: 'Lobby (Deutsch)', args: { lang: 'de' } };

export const LobbyChinese: Story = { name: 'Lobby (简体中文)', args: { lang: 'zh-CN' } };

/**
 * Camera and microphone blocked by the page's permissions policy: the lobby explains how to re-allow them in
 * this browser. (The story frames the Lobby story with devices refused.)
 */
export const BlockedCamera: Story = {
  name: 'Camera blocked',
  render: () =>
    html`<iframe
      title="p2p-call with camera and microphone blocked"
      allow="camera 'none'; microphone 'none'"
      src="iframe.html?id=components-p2p-call-embedding--lobby&amp;viewMode=story"
      style="width:100%;height:460px;border:0"
    ></iframe>`,
};

/** One person in the room, waiting for the other. */
export const Waiting: Story = {
  args: { 'no-lobby': true },
  render: (args) => element(args, { room: room('waiting'), name: 'Ada', autoJoin: true }),
};

export const Connected: Story = { parameters: { maxWidth: '1200px' }, render: (args) => pair(args, 'connected', '560px') };

export const ConnectedDark: Story = {
  name: 'Connected (dark)',
  parameters: { maxWidth: '1200px' },
  args: { theme: 'dark' },
  render: (args) => pair(args, 'connected-dark', '560px'),
};

export const SideBySide: Story = {
  name: 'Side by side',
  parameters: { maxWidth: '1200px' },
  args: { layout: 'side-by-side' },
  render: (args) => pair(args, 'side-by-side', '560px'),
};

/** A 1 ms budget every real connection exceeds: the warning and the indicator. */
export const OverLatencyBudget: Story = {
  name: 'Over the latency budget',
  parameters: { maxWidth: '1200px' },
  args: { 'latency-budget': 1 },
  render: (args) => pair(args, 'budget', '560px'),
};

/** A 320 px wide container: controls shrink and wrap, the lobby stacks. */
export const Narrow: Story = {
  name: 'Narrow (320 px)',
  render: (args) => html`<div style="display:flex;gap:16px;align-items:flex-start">
    <div style="width:320px">${element(args, { room: room('narrow-lobby'), name: 'Ada' })}</div>
    ${pair(args, 'narrow', '320px')}
  </div>`,
  parameters: { maxWidth: '1100px' },
};
