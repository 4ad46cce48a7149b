// Stand-in for the `debug` package inside the browser bundles: simple-peer's trace logging is never wanted in a
// host's page (it formats every call even when disabled), and the real package costs ~4 KB gzip.
export default function debug() {
  const log = () => {};
  log.enabled = false;
  log.extend = () => log;
  return log;
}
