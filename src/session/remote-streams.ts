/**
 * Sorts the peer's incoming streams into its camera and its auxiliary share. Tracks arrive through negotiation
 * (signaling) while the peer says which stream is which over the data channel; either may come first, so every
 * arrival re-runs the classification.
 *
 * Before the peer has said anything, a stream is its camera: a share is only ever added once the link is connected,
 * after the peer's `media` message went out on the channel. Taking the camera at once lets a view show its first
 * frame as soon as it is decoded, instead of a round trip after the channel opened.
 */
export interface RemoteStreamChanges {
  camera?: MediaStream;
  auxStarted?: MediaStream;
  auxEnded?: MediaStream;
}

export class RemoteStreams {
  readonly #byId = new Map<string, MediaStream>();
  #cameraId?: string;
  #auxId?: string;
  #auxActive = false;
  camera?: MediaStream;
  aux?: MediaStream;

  addStream(stream: MediaStream): RemoteStreamChanges {
    this.#byId.set(stream.id, stream);
    return this.#classify();
  }

  setCamera(streamId: string): RemoteStreamChanges {
    this.#cameraId = streamId;
    return this.#classify();
  }

  setAux(streamId: string, active: boolean): RemoteStreamChanges {
    this.#auxId = streamId;
    this.#auxActive = active;
    return this.#classify();
  }

  /** The peer went away: forget everything; reports an auxiliary stream that was showing. */
  clear(): RemoteStreamChanges {
    const auxEnded = this.aux;
    this.#byId.clear();
    this.#cameraId = this.#auxId = this.camera = this.aux = undefined;
    this.#auxActive = false;
    return { auxEnded };
  }

  #classify(): RemoteStreamChanges {
    const changes: RemoteStreamChanges = {};
    const camera =
      this.#cameraId === undefined
        ? (this.camera ?? this.#byId.values().next().value)
        : this.#cameraId
          ? this.#byId.get(this.#cameraId)
          : undefined;
    if (camera && camera !== this.camera) changes.camera = this.camera = camera;
    const aux = this.#auxActive && this.#auxId ? this.#byId.get(this.#auxId) : undefined;
    if (aux !== this.aux) {
      if (this.aux) changes.auxEnded = this.aux;
      if (aux) changes.auxStarted = aux;
      this.aux = aux;
    }
    return changes;
  }
}
