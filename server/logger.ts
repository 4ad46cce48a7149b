/**
 * Structured, one-line JSON logs. Callers pass only event names, reasons and counts: never SDP, candidates, tokens,
 * room names, peer ids, display names or addresses, so a log file cannot tell who talked to whom, or from where.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;
export type Logger = (event: string, fields?: LogFields) => void;

/** Writes `{"time","level","event",...fields}` to stdout; `level` is `info` unless the fields say otherwise. */
export const jsonLogger: Logger = (event, fields = {}) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', event, ...fields })}\n`);
};

export const silentLogger: Logger = () => {};
