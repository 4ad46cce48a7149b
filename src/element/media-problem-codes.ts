/** The error codes that have a screen of their own (media-problem.ts, loaded when one happens). */
import type { ErrorCode } from '../errors.js';
import { canCall, canCapture } from './browser-support.js';

const KNOWN = new Set<ErrorCode>(['permission-denied', 'no-device', 'device-busy']);

/** True for the camera/microphone codes the problem screen explains (others show the generic error status). */
export const isMediaProblem = (code: ErrorCode | undefined): code is ErrorCode => Boolean(code && KNOWN.has(code));

/**
 * True for the codes the problem screen explains: the camera/microphone problems, and `unsupported` when it means
 * that this browser (or this page, outside https) cannot call at all. Other `unsupported` errors (no screen sharing,
 * no BroadcastChannel) are explained by their own message.
 */
export const hasProblemScreen = (code: ErrorCode | undefined): code is ErrorCode =>
  isMediaProblem(code) || (code === 'unsupported' && !(canCall() && canCapture()));
