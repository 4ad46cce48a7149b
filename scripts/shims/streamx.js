// Stand-in for `streamx` inside the browser bundles. simple-peer's Peer extends streamx's Duplex, but the call never
// uses the peer as a stream: it listens to events and calls send()/destroy(). This keeps exactly the surface
// simple-peer relies on (on/once/emit/removeListener, push -> 'data', end -> _final -> 'finish', destroy ->
// _destroy -> 'close') in ~1 KB instead of streamx + events + fast-fifo (~10 KB gzip). The browser test suite
// (connect, leave, remote close, errors) runs against this shim.
export class Duplex {
  #listeners = new Map();
  #ending = false;
  #destroyRequested = false;
  destroyed = false;
  _readableState = { ended: false };

  on(type, listener) {
    const list = this.#listeners.get(type) ?? [];
    list.push(listener);
    this.#listeners.set(type, list);
    return this;
  }

  addListener(type, listener) {
    return this.on(type, listener);
  }

  once(type, listener) {
    const wrapper = (...args) => {
      this.removeListener(type, wrapper);
      listener.apply(this, args);
    };
    wrapper.listener = listener;
    return this.on(type, wrapper);
  }

  removeListener(type, listener) {
    const list = this.#listeners.get(type);
    const index = list ? list.findIndex((entry) => entry === listener || entry.listener === listener) : -1;
    if (index >= 0) list.splice(index, 1);
    return this;
  }

  off(type, listener) {
    return this.removeListener(type, listener);
  }

  removeAllListeners(type) {
    if (type === undefined) this.#listeners.clear();
    else this.#listeners.delete(type);
    return this;
  }

  emit(type, ...args) {
    const list = this.#listeners.get(type);
    if (!list?.length) {
      if (type === 'error') throw args[0];
      return false;
    }
    for (const listener of [...list]) listener.apply(this, args);
    return true;
  }

  /** Readable side: every pushed chunk is a 'data' event; null marks the end. */
  push(data) {
    if (data === null) {
      this._readableState.ended = true;
      return false;
    }
    this.emit('data', data);
    return true;
  }

  /** Writable side ends: run _final, report 'finish', then tear down (no half-open peers). */
  end() {
    if (this.#ending) return this;
    this.#ending = true;
    queueMicrotask(() => {
      const finish = () => {
        this.emit('finish');
        this.destroy();
      };
      if (typeof this._final === 'function') this._final(finish);
      else finish();
    });
    return this;
  }

  destroy(error) {
    if (this.#destroyRequested) return this;
    this.#destroyRequested = true;
    const closed = () => {
      if (this.destroyed) return;
      this.destroyed = true;
      this.emit('close');
    };
    // simple-peer's own __destroy() already started _destroy (its teardown runs on a 0 ms timer queued before this
    // one): close after it. Otherwise start the teardown here and close when it calls back.
    if (this._destroying) setTimeout(closed, 0);
    else if (typeof this._destroy === 'function') this._destroy(closed, error);
    else closed();
    return this;
  }
}

export default { Duplex };
