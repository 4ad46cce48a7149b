// Stand-in for `webrtc-polyfill`'s browser entry inside the browser bundles: simple-peer takes three constructors
// from it, and every browser the element supports has them unprefixed.
export const { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate } = globalThis;
