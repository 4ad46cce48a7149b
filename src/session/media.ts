/**
 * Camera and microphone: asks for both, falls back to what exists, and turns DOMExceptions into P2PCallErrors.
 * A missing or busy camera does not stop the call (audio-only); a refusal does.
 */
import { ErrorCode, P2PCallError } from '../errors.js';

export interface MediaRequest {
  audio: boolean;
  video: boolean;
}

/** Devices the person picked (device ids from listDevices()); the browser's defaults when absent. */
export interface DeviceChoice {
  camera?: string;
  microphone?: string;
}

export interface AcquiredMedia {
  stream: MediaStream;
  /** What could not be had, reported as recoverable errors. */
  warnings: P2PCallError[];
}

const DEFAULT_VIDEO: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 } };

export async function acquireLocalMedia(
  devices: MediaDevices | undefined,
  request: MediaRequest,
  choice: DeviceChoice = {},
): Promise<AcquiredMedia> {
  if (!request.audio && !request.video) return { stream: new MediaStream(), warnings: [] };
  if (!devices?.getUserMedia) {
    throw new P2PCallError(
      ErrorCode.Unsupported,
      'Camera and microphone are not available here: the page must be served over HTTPS (or localhost).',
    );
  }
  // Try everything first, then each kind alone: a broken, busy or refused camera must not cost the microphone.
  const attempts: MediaRequest[] = [request];
  if (request.audio && request.video) attempts.push({ audio: true, video: false }, { audio: false, video: true });
  const failures: P2PCallError[] = [];
  for (const attempt of attempts) {
    try {
      const stream = await devices.getUserMedia({
        // `exact`: Chrome does not honour an `ideal` device id among equal candidates. A picked device that was
        // unplugged since is handled below by retrying with the defaults.
        audio: attempt.audio && (choice.microphone ? { deviceId: { exact: choice.microphone } } : true),
        video: attempt.video && { ...DEFAULT_VIDEO, ...(choice.camera && { deviceId: { exact: choice.camera } }) },
      });
      // A browser may also grant less than asked (Chrome drops a kind its permissions policy blocks) without failing.
      const missing = missingKind(request, stream);
      return { stream, warnings: missing ? [partialWarning(failures[0], missing)] : [] };
    } catch (error) {
      const failure = mediaError(error);
      if (failure.code === ErrorCode.Unsupported) throw failure;
      failures.push(failure);
    }
  }
  // Nothing could be had. A refusal stops the join (the person must re-allow); missing devices do not: the call
  // goes on receive-only.
  const refusal = failures.find((failure) => failure.code === ErrorCode.PermissionDenied);
  if (refusal) throw refusal;
  if (choice.camera || choice.microphone) return acquireLocalMedia(devices, request);
  return {
    stream: new MediaStream(),
    warnings: [
      new P2PCallError(
        failures[0]?.code ?? ErrorCode.NoDevice,
        'No camera or microphone could be used; you can still see and hear the other person.',
        true,
        { cause: failures[0] },
      ),
    ],
  };
}

function missingKind(request: MediaRequest, stream: MediaStream): 'camera' | 'microphone' | undefined {
  if (request.video && stream.getVideoTracks().length === 0) return 'camera';
  if (request.audio && stream.getAudioTracks().length === 0) return 'microphone';
  return undefined;
}

function partialWarning(cause: P2PCallError | undefined, missing: 'camera' | 'microphone'): P2PCallError {
  const reason = cause?.code === ErrorCode.PermissionDenied ? 'is blocked' : 'is blocked or unavailable';
  return new P2PCallError(
    cause?.code ?? ErrorCode.NoDevice,
    `The ${missing} ${reason}; the call continues without it.`,
    true,
    { cause },
  );
}

/** Maps getUserMedia failures (DOMException names) onto the public error codes. */
export function mediaError(error: unknown): P2PCallError {
  const name = error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new P2PCallError(
        ErrorCode.PermissionDenied,
        'Camera and microphone access was blocked. Allow it in the browser’s address bar (the camera icon), then join again.',
        true,
        { cause: error },
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new P2PCallError(ErrorCode.NoDevice, 'No camera or microphone was found.', true, { cause: error });
    case 'NotReadableError':
    case 'AbortError':
      return new P2PCallError(
        ErrorCode.DeviceBusy,
        'The camera or microphone is in use by another application.',
        true,
        { cause: error },
      );
    case 'TypeError':
      return new P2PCallError(ErrorCode.Unsupported, 'This browser cannot capture camera or microphone here.', false, {
        cause: error,
      });
    default:
      return new P2PCallError(ErrorCode.MediaFailed, `Camera or microphone failed: ${String(error)}`, true, {
        cause: error,
      });
  }
}

/** One track from exactly this device (the person picked it while in the call). Throws a P2PCallError. */
export async function acquireTrack(
  devices: MediaDevices | undefined,
  kind: 'camera' | 'microphone',
  deviceId: string,
): Promise<MediaStreamTrack> {
  if (!devices?.getUserMedia)
    throw new P2PCallError(ErrorCode.Unsupported, 'This browser cannot switch devices here.', true);
  const exact = { deviceId: { exact: deviceId } };
  try {
    const stream = await devices.getUserMedia(
      kind === 'camera' ? { video: { ...DEFAULT_VIDEO, ...exact } } : { audio: exact },
    );
    return stream.getTracks()[0];
  } catch (error) {
    throw mediaError(error);
  }
}

export function stopStream(stream: MediaStream | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
