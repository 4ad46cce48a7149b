// Expected outcomes the product does not meet yet, each with the cause the lab found. A listed failure is printed on
// every run (never skipped) and does not fail the run; a listed failure that no longer happens fails the run, so the
// entry is removed with the fix (unless `intermittent`: a failure that needs a race to show). Each entry:
//   { title, cause, check (the failed check's name), cells (RegExp on the cell id, see matrix.mjs, or test name) }
export const KNOWN_FAILURES = [
  {
    title: "A public side can stay on the other side's relay while a direct pair works",
    cause:
      "Chromium's: the public side's ICE agent nominated both its direct pair to the NATed side's peer-reflexive " +
      "address and the pair to that side's TURN relay (both succeeded), and kept the relay one selected while the " +
      'other side selected the direct one; media then goes relayed in one direction (getStats shows it, and ' +
      'p2p-route says so). Not seen with no TURN configured; 3 of ~30 such cells over several runs.',
    check: 'route',
    cells: /^open\+(eim|symmetric)\/turn\/allow$/,
    intermittent: true,
  },
];

/** The known failure that covers `check` in `id`, if any. */
export function knownFailure(id, check) {
  return KNOWN_FAILURES.find((entry) => entry.check === check && entry.cells.test(id));
}
