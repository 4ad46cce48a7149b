// Stand-in for `err-code` inside the browser bundles: simple-peer only ever calls errCode(error, 'ERR_...') to tag an
// error with a code, which PeerLink reads. defineProperty, as the real package does: a DOMException's `code` is a
// getter on its prototype, so plain assignment would throw in a module.
export default function errCode(error, code) {
  return Object.defineProperty(error, 'code', { value: code, enumerable: true, configurable: true });
}
