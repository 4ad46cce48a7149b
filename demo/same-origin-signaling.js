// The signaling server is the one serving this page: same host, path /signal. A file rather than an inline script,
// so the demo runs under a Content-Security-Policy that allows no inline script.
document
  .getElementById('call')
  .setAttribute('signaling', `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/signal`);
