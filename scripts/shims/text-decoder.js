// Stand-in for the `text-decoder` package (and the `b4a` buffer helpers it pulls in, ~7 KB gzip) inside the browser
// bundles. streamx needs it only for setEncoding(), which the call never uses; the platform's TextDecoder does the
// same job where it is needed.
export default class StreamingTextDecoder {
  #decoder;
  remaining = 0;

  constructor(encoding = 'utf-8') {
    this.#decoder = new TextDecoder(encoding);
  }

  push(data) {
    return this.#decoder.decode(data, { stream: true });
  }

  end(data) {
    return data ? this.#decoder.decode(data) : this.#decoder.decode();
  }
}
