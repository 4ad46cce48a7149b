/** The camera/microphone error codes that have a screen of their own (media-problem.ts, loaded when one happens). */
import type { ErrorCode } from '../errors.js';

const KNOWN = new Set<ErrorCode>(['permission-denied', 'no-device', 'device-busy']);

/** True for the codes the problem screen explains (others show the generic error status). */
export const isMediaProblem = (code: ErrorCode | undefined): code is ErrorCode => Boolean(code && KNOWN.has(code));
