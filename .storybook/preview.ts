import { setCustomElementsManifest } from '@storybook/web-components';
import type { Preview } from '@storybook/web-components-vite';
import manifest from '../custom-elements.json';
import { P2PCall } from '../src/index.js';

// Register the element here rather than with `import '../src/p2p-call.js'`: package.json "sideEffects" lists only
// the dist entry points, so the bundler drops a bare import of the source registration module.
if (!customElements.get('p2p-call')) customElements.define('p2p-call', P2PCall);

type Member = { name?: string; privacy?: string; static?: boolean };
type Declaration = { members?: Member[] };

// Document the public API only: private fields and #members are implementation detail.
const isPublic = (member: Member) =>
  member.privacy !== 'private' && member.privacy !== 'protected' && !member.name?.startsWith('#') && !member.static;
const publicManifest = {
  ...manifest,
  modules: manifest.modules.map((module) => ({
    ...module,
    declarations: (module.declarations as Declaration[] | undefined)?.map((declaration) =>
      declaration.members ? { ...declaration, members: declaration.members.filter(isPublic) } : declaration,
    ),
  })),
};

setCustomElementsManifest(publicManifest);

const preview: Preview = {
  tags: ['autodocs'],
  parameters: {
    layout: 'padded',
    controls: { expanded: true, sort: 'requiredFirst' },
  },
};

export default preview;
