// The route a call's two sides actually use, from getStats' selected pairs, and whether the element's p2p-route
// says the same.

/**
 * Side `i`'s path as getStats shows it, given both sides' pairs ({ local, remote } candidate types). A remote
 * candidate first learned from a check is peer-reflexive to getStats, a relay's included; the element asks the other
 * side for its own end then, so the truth for a prflx remote is the other side's local type.
 */
export function pathOf(pairs, i) {
  const pair = pairs[i];
  if (!pair) return undefined;
  const remote = pair.remote === 'prflx' ? (pairs[1 - i]?.local ?? 'prflx') : pair.remote;
  return { route: pair.local === 'relay' || remote === 'relay' ? 'relay' : 'direct', local: pair.local, remote };
}

/** Does `said` (the element's last p2p-route detail) name side `i`'s path? */
export function saysPath(said, pairs, i) {
  const path = pathOf(pairs, i);
  return Boolean(path && said && said.route === path.route && said.local === path.local && said.remote === path.remote);
}
