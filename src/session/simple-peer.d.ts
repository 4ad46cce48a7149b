// The fork ships no types; this declares only the surface peer-link.ts uses.
declare module '@thaunknown/simple-peer' {
  export interface SimplePeerOptions {
    initiator?: boolean;
    config?: RTCConfiguration;
    streams?: MediaStream[];
    offerOptions?: RTCOfferOptions;
    trickle?: boolean;
    channelConfig?: RTCDataChannelInit;
    objectMode?: boolean;
  }
  export default class SimplePeer {
    constructor(options?: SimplePeerOptions);
    readonly connected: boolean;
    readonly destroyed: boolean;
    readonly bufferSize: number;
    readonly _pc: RTCPeerConnection;
    readonly _channel: RTCDataChannel | null;
    initiator: boolean;
    /** A negotiation is in flight (set by negotiate(); cleared when the answer is applied). */
    _isNegotiating: boolean;
    /** The constructor's first negotiation is queued as a microtask that has not run yet. */
    _batchedNegotiation: boolean;
    _createOffer(): void;
    _iceCompleteTimer: ReturnType<typeof setTimeout> | null;
    _maybeReady(): void;
    signal(data: object): void;
    /** A new offer now (the offerer; queued behind one in flight) or a request for one (the answerer). */
    negotiate(): void;
    send(data: string | ArrayBufferView | ArrayBuffer | Blob): void;
    addTrack(track: MediaStreamTrack, stream: MediaStream): void;
    removeTrack(track: MediaStreamTrack, stream: MediaStream): void;
    replaceTrack(oldTrack: MediaStreamTrack, newTrack: MediaStreamTrack | null, stream: MediaStream): void;
    addStream(stream: MediaStream): void;
    removeStream(stream: MediaStream): void;
    destroy(error?: Error): void;
    on(event: 'signal', listener: (data: { type: string } & Record<string, unknown>) => void): this;
    on(event: 'connect' | 'close', listener: () => void): this;
    on(event: 'data', listener: (data: string | Uint8Array) => void): this;
    on(event: 'stream', listener: (stream: MediaStream) => void): this;
    on(event: 'track', listener: (track: MediaStreamTrack, stream: MediaStream) => void): this;
    on(event: 'error', listener: (error: Error & { code?: string }) => void): this;
    removeAllListeners(): this;
  }
}
