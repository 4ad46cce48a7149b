/**
 * Structured, one-line JSON logs. Callers pass only event names and counts: never SDP, candidates, tokens or
 * addresses, so a log file cannot leak who talked to whom over which network.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;
export type Logger = (event: string, fields?: LogFields) => void;

export const jsonLogger: Logger = (event, fields = {}) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
};

export const silentLogger: Logger = () => {};
