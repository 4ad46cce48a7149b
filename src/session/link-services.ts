/**
 * What lives and dies with one link: the file channel, the verification code, the route (and, under
 * relay="forbid", the check that it does not run through the other side's relay), quality sampling, the camera's
 * size on the wire and the move off a relay that is not needed. Built when the link is opened, started when it
 * connects, ended by one close() when the link is replaced or the peer leaves; the code for the connected part is a
 * chunk of its own (connected-services.ts), fetched then.
 */
import { ErrorCode, P2PCallError } from '../errors.js';
import type { CallEventMap } from './call-events.js';
import { FileChannel } from './file-transfer/file-channel.js';
import type { FileLimits } from './file-transfer/file-limits.js';
import type { FileTransferSink } from './file-transfer/file-transfers.js';
import type { Link } from './link.js';
import type { CandidateType, PeerMessage } from './peer-messages.js';
import type { QualityMonitor } from './quality-monitor.js';
import type { RelayPolicy } from './relay-policy.js';
import { RelayGuard } from './relay-guard.js';
import type { SelectedRoute } from './route.js';
import type { VerificationExchange, VerificationMessage } from './verification/verification-exchange.js';

const loadConnectedServices = () => import('./connected-services.js');

/** The negotiated id of the file-transfer channel; far above the ids browsers assign to in-band channels. */
const FILE_CHANNEL_ID = 1000;
/** How often to look for the selected candidate pair before giving up on reporting the route (200 ms apart). */
const ROUTE_ATTEMPTS = 25;
/**
 * How long a path through the other side's relay may stand under relay="forbid" before the call ends: long enough
 * for a direct pair that succeeds a moment later to take over.
 */
const FORBIDDEN_ROUTE_GRACE_MS = 1500;

type ServiceEvents = 'verification' | 'verified' | 'route' | 'quality' | 'error';

export interface LinkServicesContext {
  emit<K extends ServiceEvents>(name: K, detail: CallEventMap[K]): void;
  sendToPeer(message: PeerMessage): void;
  relay: RelayPolicy;
  latencyBudget(): number;
  fileLimits(): FileLimits;
  fileSink: FileTransferSink;
  /** Under relay="forbid", the path runs through the other side's relay and stayed there: the call must end. */
  forbiddenRoute(): void;
}

export class LinkServices {
  readonly files: FileChannel;
  /** Under relay="forbid": the other side's relay candidates, dropped and remembered (see relay-guard.ts). */
  readonly relayGuard?: RelayGuard;
  #code?: string;
  #verified = false;
  #verifiedByPeer = false;
  #verification?: VerificationExchange;
  /** Verification messages that arrived before the exchange's code did. */
  #inbox: VerificationMessage[] = [];
  /** The route as last reported, this side's end as last told to the peer, and the peer's own word for its end. */
  #route?: string;
  #sentEnd?: string;
  #peerEnd?: CandidateType;
  #routeRetry?: ReturnType<typeof setTimeout>;
  #forbiddenTimer?: ReturnType<typeof setTimeout>;
  #quality?: QualityMonitor;
  #closed = false;
  /** Held here: the peer library lets go of its connection when the link closes, before this is closed. */
  readonly #connection: RTCPeerConnection;
  /** The connection's ICE transport, once connected: where it announces a change of the selected pair (Chromium). */
  #iceTransport?: RTCIceTransport;

  constructor(
    private readonly link: Link,
    private readonly context: LinkServicesContext,
  ) {
    this.#connection = link.connection;
    // Created on both sides before negotiation, so the channel opens with the connection and never renegotiates.
    this.files = new FileChannel(
      link.openNegotiatedChannel('p2p-call-files', FILE_CHANNEL_ID),
      context.fileSink,
      context.fileLimits,
    );
    if (context.relay === 'forbid') this.relayGuard = new RelayGuard();
    // Fetched while the link connects, not after: its arrival then does not compete with the first frames.
    void loadConnectedServices().catch(() => {});
    // Looked up once connected, then again whenever ICE changes state on the live connection.
    this.#connection.addEventListener('iceconnectionstatechange', this.#handleIceChange);
  }

  /** The code both people compare, once both sides exchanged their verification data. */
  get code(): string | undefined {
    return this.#code;
  }

  get verified(): boolean {
    return this.#verified;
  }

  get verifiedByPeer(): boolean {
    return this.#verifiedByPeer;
  }

  /** The link connected: verification, route and quality start (their code is fetched first). */
  async connected(): Promise<void> {
    void this.reportRoute();
    // The selected pair can change while ICE stays connected (a relay pair that answered first gives way to a direct
    // one, or the other way): the route follows it.
    this.#iceTransport = this.#connection.sctp?.transport.iceTransport;
    this.#iceTransport?.addEventListener('selectedcandidatepairchange', this.#handleIceChange);
    const services = await loadConnectedServices();
    const { verifyConnection, QualityMonitor, routeFromReport, selectedPair, nextReduced, outgoingEstimate } = services;
    if (this.#closed) return;
    this.#verification = verifyConnection(this.#connection, {
      post: (message) => this.context.sendToPeer(message),
      result: (result) => {
        this.#clearVerification();
        this.#code = result.code;
        this.context.emit('verification', result);
      },
      reset: () => this.#clearVerification(),
      error: (error) => this.context.emit('error', error.toDetail()),
    });
    for (const message of this.#inbox.splice(0)) void this.#verification.handle(message);
    void this.#verification.start();
    // Each quality sample's report shows the selected pair too, at no extra getStats: where the browser announces no
    // change of it (Firefox's ICE transport tells its state, not its pair), that is how the route follows a switch;
    // where it does, it catches a switch whose announcement came before getStats showed the new pair (a pair with a
    // peer-reflexive end is read from getStats: see route.ts).
    // The same report tells the bandwidth estimate the camera's size follows (camera-size.ts), and whether a relay
    // in use is needed at all (route-upgrade.ts; only where relays are allowed: `only` asks for one).
    const upgrade = this.context.relay === 'allow' ? new services.RouteUpgrade() : undefined;
    const sample = async (): Promise<RTCStatsReport> => {
      const report = await this.#connection.getStats();
      if (this.#closed) return report;
      const pair = selectedPair(report); // found once for every reader: finding it walks the whole report
      const found = routeFromReport(report, pair);
      const route = found && this.#withPeerEnd(found);
      if (route) this.#applyRoute(route);
      const reduced = nextReduced(this.link.cameraReduced, outgoingEstimate(pair));
      if (reduced !== this.link.cameraReduced) this.link.reduceCamera(reduced);
      const relayed = route?.route === 'relay';
      if (upgrade?.next(relayed, relayed && services.directPairWorks(report, pair))) this.link.restartIce();
      return report;
    };
    this.#quality = new QualityMonitor(
      sample,
      (detail) => this.context.emit('quality', detail),
      this.context.latencyBudget,
    );
    this.#quality.start();
  }

  /** This side's person confirmed the code: verified here, and the other side is told (as a hint, over there). */
  verify(): P2PCallError | undefined {
    const code = this.#code;
    if (!code) return new P2PCallError(ErrorCode.NotConnected, 'There is no verification code yet.', true);
    this.#verified = true;
    this.context.sendToPeer({ t: 'verified', code });
    this.context.emit('verified', { code, by: 'local' });
    return undefined;
  }

  handleVerification(message: VerificationMessage): void {
    if (this.#verification) void this.#verification.handle(message);
    else if (this.#inbox.length < 4) this.#inbox.push(message); // a commitment and a reveal per round, two rounds
  }

  /** The other side says its person confirmed: information for this side, which verifies only on its own. */
  handlePeerVerified(code: string): void {
    if (code !== this.#code || this.#verifiedByPeer) return;
    this.#verifiedByPeer = true;
    this.context.emit('verified', { code, by: 'remote' });
  }

  /** The other side's word for its end of the path. */
  handlePeerRoute(end: CandidateType): void {
    this.#peerEnd = end;
    if (this.link.connected) void this.reportRoute();
  }

  /** Emits `route` when the selected pair is known or changes; under relay="forbid", checks it. */
  async reportRoute(attempt = 0): Promise<void> {
    if (this.#closed) return;
    clearTimeout(this.#routeRetry);
    const route = await this.#selectedRoute();
    if (this.#closed) return;
    if (!route) {
      // The selected pair can show up a moment after the channel opened: look again, a few times.
      if (attempt < ROUTE_ATTEMPTS) this.#routeRetry = setTimeout(() => void this.reportRoute(attempt + 1), 200);
      return;
    }
    this.#applyRoute(route);
  }

  /** Tells the peer this side's end when it changed, checks relay="forbid", and emits `route` when it changed. */
  #applyRoute(route: SelectedRoute): void {
    if (route.local !== this.#sentEnd) {
      this.#sentEnd = route.local;
      this.context.sendToPeer({ t: 'route', local: route.local as CandidateType });
    }
    if (this.#isForbidden(route)) this.#endIfStillForbidden();
    const key = `${route.route}/${route.local}/${route.remote}/${route.protocol}`;
    if (key === this.#route) return;
    this.#route = key;
    this.context.emit('route', {
      route: route.route,
      local: route.local,
      remote: route.remote,
      protocol: route.protocol,
    });
  }

  close(): void {
    this.#closed = true;
    this.#connection.removeEventListener('iceconnectionstatechange', this.#handleIceChange);
    this.#iceTransport?.removeEventListener('selectedcandidatepairchange', this.#handleIceChange);
    clearTimeout(this.#routeRetry);
    clearTimeout(this.#forbiddenTimer);
    this.#verification?.close();
    this.#quality?.stop();
    this.files.close();
    this.#clearVerification();
  }

  #handleIceChange = (): void => {
    if (this.link.connected) void this.reportRoute();
  };

  /**
   * The selected route, with the other side's own word for its end where this side could not tell it: a check from
   * the other side's relay arrives as a peer-reflexive candidate whose address the browser hides.
   */
  async #selectedRoute(): Promise<SelectedRoute | undefined> {
    const { selectedRoute } = await loadConnectedServices();
    const route = await selectedRoute(this.#connection).catch(() => undefined);
    return route && this.#withPeerEnd(route);
  }

  #withPeerEnd(route: SelectedRoute): SelectedRoute {
    const remote = this.#peerEnd;
    if (route.remote !== 'prflx' || !remote) return route;
    return { ...route, remote, route: route.local === 'relay' || remote === 'relay' ? 'relay' : 'direct' };
  }

  #isForbidden(route: SelectedRoute): boolean {
    const guard = this.relayGuard;
    return Boolean(guard) && (route.route === 'relay' || guard!.isForbidden(route.remoteAddress, route.remotePort));
  }

  #endIfStillForbidden(): void {
    if (this.#forbiddenTimer !== undefined) return;
    this.#forbiddenTimer = setTimeout(async () => {
      this.#forbiddenTimer = undefined;
      const route = await this.#selectedRoute();
      if (!this.#closed && route && this.#isForbidden(route)) this.context.forbiddenRoute();
    }, FORBIDDEN_ROUTE_GRACE_MS);
  }

  /** The code no longer stands for the connection (new certificates, or a new connection): nothing is verified. */
  #clearVerification(): void {
    this.#code = undefined;
    this.#verified = false;
    this.#verifiedByPeer = false;
  }
}
