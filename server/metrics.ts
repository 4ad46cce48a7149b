/**
 * Counters for operators, rendered in the Prometheus text format. Labels only ever carry our own reason codes, so
 * a client cannot inflate the number of series or smuggle text into the output.
 */
export interface Gauges {
  connections: number;
  rooms: number;
  /** Redis mode only: 1 while both Redis connections are ready and this process holds its lease. */
  redisUp?: boolean;
}

export class Metrics {
  received = 0;
  relayed = 0;
  joins = 0;
  heartbeatTerminations = 0;
  /** Frames (and replace orders) sent to another process over Redis pub/sub. */
  backplanePublished = 0;
  /** Messages from other processes received on this process's channel. */
  backplaneReceived = 0;
  /** Backplane messages that could not be used: unreadable, or for a socket that had closed meanwhile. */
  backplaneDropped = 0;
  /** Redis commands that failed or timed out. */
  backplaneErrors = 0;
  /** Times this process found its lease expired and made its sockets rejoin. */
  leaseLost = 0;
  readonly rejected = new Map<string, number>();
  readonly refused = new Map<string, number>();
  /** TURN credentials asked for at a join, by outcome (`minted`, `reused`, `rate-limited`, `no-token`). */
  readonly turnCredentials = new Map<string, number>();

  /** A frame answered with an error (or dropped), by reason. */
  reject(reason: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  /** An upgrade refused before any socket existed, by reason. */
  refuse(reason: string): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
  }

  turnCredential(outcome: string): void {
    this.turnCredentials.set(outcome, (this.turnCredentials.get(outcome) ?? 0) + 1);
  }

  render(gauges: Gauges): string {
    const memory = process.memoryUsage();
    return [
      ...metric('p2p_call_connections', 'gauge', 'Open WebSocket connections.', gauges.connections),
      ...metric('p2p_call_rooms', 'gauge', 'Rooms with at least one member.', gauges.rooms),
      ...metric('p2p_call_frames_received_total', 'counter', 'WebSocket frames read from clients.', this.received),
      ...metric('p2p_call_joins_total', 'counter', 'Successful joins.', this.joins),
      ...metric('p2p_call_relayed_messages_total', 'counter', 'Signals relayed to the other member.', this.relayed),
      ...labelled('p2p_call_rejected_frames_total', 'Inbound frames refused, by reason.', this.rejected),
      ...labelled('p2p_call_refused_upgrades_total', 'WebSocket upgrades refused, by reason.', this.refused),
      ...labelled(
        'p2p_call_turn_credentials_total',
        'TURN credentials at joins, by result (minted, reused, rate-limited, no-token).',
        this.turnCredentials,
        'result',
      ),
      ...metric(
        'p2p_call_heartbeat_terminations_total',
        'counter',
        'Sockets cut because they stopped answering pings.',
        this.heartbeatTerminations,
      ),
      ...(gauges.redisUp === undefined ? [] : this.#backplane(gauges.redisUp)),
      ...metric('p2p_call_heap_used_bytes', 'gauge', 'V8 heap in use.', memory.heapUsed),
      ...metric('p2p_call_resident_memory_bytes', 'gauge', 'Resident set size.', memory.rss),
      '',
    ].join('\n');
  }

  #backplane(up: boolean): string[] {
    return [
      ...metric('p2p_call_redis_up', 'gauge', 'Redis backplane reachable and lease held (1) or not (0).', up ? 1 : 0),
      ...metric(
        'p2p_call_backplane_published_total',
        'counter',
        'Messages published to another process (cross-node relays and replace orders).',
        this.backplanePublished,
      ),
      ...metric(
        'p2p_call_backplane_received_total',
        'counter',
        'Messages received from other processes.',
        this.backplaneReceived,
      ),
      ...metric(
        'p2p_call_backplane_dropped_total',
        'counter',
        'Backplane messages dropped: unreadable, or their socket had gone.',
        this.backplaneDropped,
      ),
      ...metric(
        'p2p_call_backplane_errors_total',
        'counter',
        'Redis commands failed or timed out.',
        this.backplaneErrors,
      ),
      ...metric(
        'p2p_call_redis_lease_lost_total',
        'counter',
        'Lease expired; local sockets told to rejoin.',
        this.leaseLost,
      ),
    ];
  }
}

function metric(name: string, type: 'gauge' | 'counter', help: string, value: number): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`];
}

function labelled(name: string, help: string, values: ReadonlyMap<string, number>, label = 'reason'): string[] {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} counter`];
  for (const [reason, value] of [...values].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${name}{${label}="${reason}"} ${value}`);
  }
  return lines;
}
