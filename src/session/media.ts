/**
 * Camera and microphone: asks for both, falls back to what exists, and turns DOMExceptions into P2PCallErrors.
 * A missing or busy camera does not stop the call (audio-only); a refusal does.
 */
import { ErrorCode, P2PCallError } from '../errors.js';

export interface MediaRequest {
  audio: boolean;
  video: boolean;
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
): Promise<AcquiredMedia> {
  if (!request.audio && !request.video) return { stream: new MediaStream(), warnings: [] };
  if (!devices?.getUserMedia) {
    throw new P2PCallError(
      ErrorCode.Unsupported,
      'Camera and microphone are not available here: the page must be served over HTTPS (or localhost).',
    );
  }
  const warnings: P2PCallError[] = [];
  // Try everything first, then each kind alone, so one broken device does not cost the other.
  const attempts: MediaRequest[] = [request];
  if (request.audio && request.video) attempts.push({ audio: true, video: false }, { audio: false, video: true });
  for (const attempt of attempts) {
    try {
      const stream = await devices.getUserMedia({ audio: attempt.audio, video: attempt.video && DEFAULT_VIDEO });
      if (attempt !== request) {
        const missing = attempt.video ? 'microphone' : 'camera';
        warnings[0] = withMessage(warnings[0], `No ${missing} could be used; the call continues without it.`);
      }
      return { stream, warnings };
    } catch (error) {
      const mapped = mediaError(error);
      if (mapped.code === ErrorCode.PermissionDenied || mapped.code === ErrorCode.Unsupported) throw mapped;
      warnings[0] ??= mapped;
    }
  }
  // Nothing at all: the call can still go on receive-only.
  warnings[0] = withMessage(warnings[0], 'No camera or microphone could be used; you can still see and hear the other person.');
  return { stream: new MediaStream(), warnings };
}

function withMessage(error: P2PCallError | undefined, message: string): P2PCallError {
  return new P2PCallError(error?.code ?? ErrorCode.NoDevice, message, true, { cause: error });
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
      return new P2PCallError(ErrorCode.MediaFailed, `Camera or microphone failed: ${String(error)}`, true, { cause: error });
  }
}

export function stopStream(stream: MediaStream | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
