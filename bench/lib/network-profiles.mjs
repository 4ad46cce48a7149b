// The network conditions the bench's calls are measured under. Each figure is for one direction of the call and is
// applied on the sending side's upstream path of the impairment relay (impair-relay.mjs), so each direction crosses
// it once: RTT = 2 × delayMs, jitter and loss as given per direction.
//
// `good` is not relayed at all: the plain loopback call of the other metrics, host candidates only.

export const NETWORK_PROFILES = {
  good: { label: 'good (loopback, none)', relayed: false },
  wifi: {
    label: 'Wi-Fi (40 ms RTT, 5 ms jitter, 1 % loss)',
    relayed: true,
    path: { delayMs: 20, jitterMs: 5, loss: { model: 'random', rate: 0.01 } },
  },
  mobile: {
    label: 'mobile (120 ms RTT, 30 ms jitter, 3 % bursty loss, 1 Mbit/s)',
    relayed: true,
    // Mobile loss comes in bursts (fading, handovers): Gilbert-Elliott with bad runs of 3 packets on average. The
    // bottleneck's queue holds 250 ms at its rate, then drops what arrives (a modest cellular buffer).
    path: {
      delayMs: 60,
      jitterMs: 30,
      loss: { model: 'gilbert-elliott', rate: 0.03, burst: 3 },
      rateKbps: 1000,
      queueMs: 250,
    },
  },
};

/** The relay configuration for a profile: its path on both sides' upstream, nothing on the way down. */
export const relayConfig = (profile) => ({ a: { up: profile.path }, b: { up: profile.path } });
