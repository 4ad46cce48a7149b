/**
 * What this browser can do, asked where the element decides what to offer: a control whose API is missing is not
 * shown, and a call that cannot work is refused at join() with `unsupported` rather than failing half-way. Asked each
 * time rather than once at load, so a page that removes or adds an API before using the element is seen as it is.
 */

/** WebRTC itself: without it there is no call, only the lobby saying so. */
export const canCall = (): boolean => typeof globalThis.RTCPeerConnection === 'function';

/** Camera and microphone (absent on a page that is not a secure context, too). */
export const canCapture = (): boolean => typeof globalThis.navigator?.mediaDevices?.getUserMedia === 'function';

/** Screen sharing: absent on phones (iOS, Android) and in older browsers. */
export const canShareScreen = (): boolean => typeof globalThis.navigator?.mediaDevices?.getDisplayMedia === 'function';

/** Picture-in-picture of a video (Chromium, Safari; Firefox offers it only from its own video overlay). */
export const canPictureInPicture = (): boolean =>
  document.pictureInPictureEnabled === true &&
  typeof globalThis.HTMLVideoElement?.prototype.requestPictureInPicture === 'function';

/** Full screen for an element (iPhone Safari has it only for a video's own player). */
export const canFullscreen = (): boolean =>
  document.fullscreenEnabled === true && typeof globalThis.HTMLElement?.prototype.requestFullscreen === 'function';

/** Choosing the speaker (HTMLMediaElement.setSinkId; older Safari and every Android browser lack it). */
export const canPickSpeaker = (): boolean =>
  typeof globalThis.HTMLMediaElement?.prototype === 'object' && 'setSinkId' in HTMLMediaElement.prototype;

/** Tabs of one browser finding each other (`signaling="broadcast"`). */
export const canBroadcast = (): boolean => typeof globalThis.BroadcastChannel === 'function';
