/**
 * Notices when a connected media path stops working although nothing closed it: ICE reports `disconnected` (no
 * answers to its checks) and no bytes arrive for a grace period, or ICE reports `failed`. A short drop that heals
 * by itself (a Wi-Fi hiccup) is left alone; the session replaces the connection only when this says it is lost.
 */
export const DISCONNECT_GRACE_MS = 3000;

export class LinkWatch {
  #timer?: ReturnType<typeof setTimeout>;
  #stopped = false;

  constructor(
    private readonly connection: RTCPeerConnection,
    private readonly onLost: (reason: 'ice-failed' | 'ice-disconnected') => void,
    private readonly graceMs = DISCONNECT_GRACE_MS,
  ) {
    connection.addEventListener('iceconnectionstatechange', this.#check);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.connection.removeEventListener('iceconnectionstatechange', this.#check);
  }

  #check = (): void => {
    const state = this.connection.iceConnectionState;
    if (state === 'failed') {
      this.#lost('ice-failed');
    } else if (state === 'disconnected') {
      if (this.#timer === undefined) void this.#watchBytes();
    } else {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  };

  /** Lost when, after the grace period, ICE is still disconnected and not a byte came in meanwhile. */
  async #watchBytes(): Promise<void> {
    const before = await bytesReceived(this.connection);
    if (this.#stopped) return;
    this.#timer = setTimeout(async () => {
      const after = await bytesReceived(this.connection);
      this.#timer = undefined;
      if (this.#stopped || this.connection.iceConnectionState !== 'disconnected') return;
      if (after > before) {
        this.#check(); // still trickling in: look again after another grace period
        return;
      }
      this.#lost('ice-disconnected');
    }, this.graceMs);
  }

  #lost(reason: 'ice-failed' | 'ice-disconnected'): void {
    if (this.#stopped) return;
    this.stop();
    this.onLost(reason);
  }
}

async function bytesReceived(connection: RTCPeerConnection): Promise<number> {
  let total = 0;
  try {
    (await connection.getStats()).forEach((report: { type: string; bytesReceived?: number }) => {
      if (report.type === 'transport') total += report.bytesReceived ?? 0;
    });
  } catch {
    // a closed connection has no stats: treat as nothing received
  }
  return total;
}
