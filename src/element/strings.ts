import type { CallState } from '../session/call-state.js';

/** Every visible string in one table (a translation table comes later; keys stay). */
export const strings = {
  join: 'Join call',
  rejoin: 'Join again',
  leave: 'Leave call',
  mute: 'Mute microphone',
  unmute: 'Unmute microphone',
  cameraOff: 'Turn camera off',
  cameraOn: 'Turn camera on',
  enableSound: 'Enable sound',
  controls: 'Call controls',
  you: 'You',
  remote: 'Other participant',
  remoteMuted: 'Microphone muted',
  remoteCameraOff: 'Camera off',
  dismiss: 'Dismiss',
  joinedAnnouncement: (name: string) => `${name || 'The other person'} joined the call.`,
  leftAnnouncement: (name: string) => `${name || 'The other person'} left the call.`,
  status: {
    idle: 'Ready to join',
    joining: 'Joining…',
    waiting: 'Waiting for the other person to join…',
    connecting: 'Connecting…',
    connected: 'Connected',
    reconnecting: 'Reconnecting…',
    ended: 'You left the call',
    error: 'The call could not continue',
  } satisfies Record<CallState, string>,
};
