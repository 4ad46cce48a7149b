// Expected outcomes the product does not meet yet, each with the cause the lab found. A listed failure is printed on
// every run (never skipped) and does not fail the run; a listed failure that no longer happens fails the run, so the
// entry is removed with the fix (unless `intermittent`: a failure that needs a race to show). Each entry:
//   { title, cause, check (the failed check's name), cells (RegExp on the cell id, see matrix.mjs, or test name) }
export const KNOWN_FAILURES = [];

/** The known failure that covers `check` in `id`, if any. */
export function knownFailure(id, check) {
  return KNOWN_FAILURES.find((entry) => entry.check === check && entry.cells.test(id));
}
