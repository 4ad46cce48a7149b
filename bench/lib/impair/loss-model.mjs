// Packet loss models for the impairment relay: independent (Bernoulli) loss, and bursty loss after Gilbert-Elliott
// (a two-state Markov chain: a good state that rarely loses, a bad state that mostly does; one step per packet).
//
//   { model: 'random', rate: 0.01 }
//   { model: 'gilbert-elliott', rate: 0.03, burst: 3 }               mean loss 3 %, bad runs of 3 packets on average
//   { model: 'gilbert-elliott', p, r, lossGood = 0, lossBad = 1 }   the chain's own parameters

/**
 * Gilbert-Elliott parameters for a mean loss rate and a mean bad-state run length (packets), with no loss in the good
 * state and every packet lost in the bad one: r = 1 / burst, and p from the stationary share of the bad state,
 * p / (p + r) = rate.
 */
export function gilbertElliott(rate, burst) {
  if (!(rate >= 0 && rate < 1)) throw new Error(`loss rate ${rate} is not in [0, 1)`);
  if (!(burst >= 1)) throw new Error(`mean burst length ${burst} is below one packet`);
  const r = 1 / burst;
  return { p: (rate * r) / (1 - rate), r, lossGood: 0, lossBad: 1 };
}

/** The long-run loss rate a model description stands for. */
export function meanLoss(loss) {
  if (!loss) return 0;
  if (loss.model === 'random') return loss.rate;
  const { p, r, lossGood = 0, lossBad = 1 } = 'p' in loss ? loss : gilbertElliott(loss.rate, loss.burst);
  const bad = p + r > 0 ? p / (p + r) : 0;
  return bad * lossBad + (1 - bad) * lossGood;
}

/** Returns `lose()`: true when the next packet is to be dropped. */
export function createLossModel(loss, random) {
  if (!loss || (loss.model === 'random' && !loss.rate)) return () => false;
  if (loss.model === 'random') return () => random() < loss.rate;
  if (loss.model !== 'gilbert-elliott') throw new Error(`unknown loss model "${loss.model}"`);
  const { p, r, lossGood = 0, lossBad = 1 } = 'p' in loss ? loss : gilbertElliott(loss.rate, loss.burst);
  let bad = false;
  return () => {
    bad = bad ? random() >= r : random() < p;
    return random() < (bad ? lossBad : lossGood);
  };
}
