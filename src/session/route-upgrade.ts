/**
 * Off a relay that is not needed: a call can settle on a TURN relay although a direct path works, and then stay
 * there. Seen in the network lab (Chromium, TURN configured, a loaded machine): the public side's one check on the
 * direct pair went unanswered while the pair through the other side's relay succeeded first; the relay pair was
 * selected, and that side never checked the direct pair again, though it answered every check the other side made on
 * it. Media then goes through the TURN server for the rest of the call: a longer path, and traffic the host pays for.
 *
 * When a quality sample finds the media relayed while a pair with no relay at either end has shown that it works,
 * and the next sample finds the same, the link restarts ICE (Link.restartIce): every pair is checked again, while
 * the media stays on the relay meanwhile and the connection, its keys and the verification code stay as they are.
 * A path that really needs the relay comes back to it; the restarts a link makes are few (MAX_ROUTE_UPGRADES).
 */
import { selectedPair } from './selected-pair.js';

/** Samples in a row (2 s apart) that must find the relay unneeded: the browser often moves off it by itself. */
export const UPGRADE_AFTER_SAMPLES = 2;
/** ICE restarts this judgment asks for on one link, at most. */
export const MAX_ROUTE_UPGRADES = 2;

type Stats = Record<string, unknown>;

const count = (value: unknown): number => (typeof value === 'number' ? value : 0);

/**
 * Whether a getStats report shows a pair with no relay at either end that works: its own check was answered
 * (`succeeded`), or it answered the other side's checks on it. A peer-reflexive remote end at the address of one of
 * the other side's relay candidates is that relay (a check from it arrived before its description), not a direct one.
 */
export function directPairWorks(stats: RTCStatsReport, selected = selectedPair(stats)): boolean {
  const relays = new Set<string>();
  const pairs: Stats[] = [];
  stats.forEach((report: Stats) => {
    if (report.type === 'remote-candidate' && report.candidateType === 'relay') relays.add(endpoint(report));
    if (report.type === 'candidate-pair' && report !== selected) pairs.push(report);
  });
  return pairs.some((pair) => {
    const local = stats.get(pair.localCandidateId as string) as Stats | undefined;
    const remote = stats.get(pair.remoteCandidateId as string) as Stats | undefined;
    if (!local || !remote || local.candidateType === 'relay' || remote.candidateType === 'relay') return false;
    if (remote.candidateType === 'prflx' && relays.has(endpoint(remote))) return false;
    return pair.state === 'succeeded' || (count(pair.requestsReceived) > 0 && count(pair.responsesSent) > 0);
  });
}

const endpoint = (candidate: Stats): string => `${String(candidate.address ?? candidate.ip)} ${String(candidate.port)}`;

/** One link's judgment, sample after sample. */
export class RouteUpgrade {
  #inARow = 0;
  #asked = 0;

  /** Takes one sample's findings; true when the link should restart ICE now. */
  next(relayed: boolean, directWorks: boolean): boolean {
    if (!relayed || !directWorks || this.#asked >= MAX_ROUTE_UPGRADES) {
      this.#inARow = 0;
      return false;
    }
    this.#inARow += 1;
    if (this.#inARow < UPGRADE_AFTER_SAMPLES) return false;
    this.#inARow = 0;
    this.#asked += 1;
    return true;
  }
}
