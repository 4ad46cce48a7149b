// The ATS's own live channel: Server-Sent Events down to each open page, HTTP POST up. It carries the app's messages
// (here only `call-signal`) and knows nothing about calls: a `call-signal` is delivered as it is to the other pages
// open on the same interview. Nothing is stored.

const INTERVIEW_ID = /^[\w-]{1,64}$/u;
const MAX_BODY = 64 * 1024;

export class LiveChannel {
  /** Open pages by interview id: clientId -> SSE response. */
  #pages = new Map();
  #nextClient = 1;
  relayed = 0;

  /** GET /live?interview=ID: opens the page's event stream and says hello with its client id. */
  subscribe(request, response, interviewId) {
    if (!INTERVIEW_ID.test(interviewId ?? '')) return response.writeHead(400).end('bad interview id\n');
    const clientId = String(this.#nextClient++);
    const pages = this.#pages.get(interviewId) ?? new Map();
    this.#pages.set(interviewId, pages.set(clientId, response));
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    this.#send(response, { kind: 'welcome', clientId });
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), 25_000);
    request.on('close', () => {
      clearInterval(heartbeat);
      pages.delete(clientId);
      if (pages.size === 0) this.#pages.delete(interviewId);
    });
  }

  /** POST /live {kind: 'call-signal', interviewId, clientId, envelope}: relays to the interview's other pages. */
  async publish(request, response) {
    let message;
    try {
      message = JSON.parse(await readBody(request));
    } catch {
      return response.writeHead(400).end('bad message\n');
    }
    const { kind, interviewId, clientId, envelope } = message ?? {};
    if (kind !== 'call-signal' || !INTERVIEW_ID.test(interviewId ?? '') || typeof envelope !== 'object') {
      return response.writeHead(400).end('bad message\n');
    }
    for (const [id, page] of this.#pages.get(interviewId) ?? []) {
      if (id === clientId) continue; // the sender (an echo would be harmless too)
      this.#send(page, { kind, interviewId, envelope });
      this.relayed += 1;
    }
    response.writeHead(204).end();
  }

  #send(response, message) {
    response.write(`data: ${JSON.stringify(message)}\n\n`);
  }
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => {
      body += chunk;
      if (body.length > MAX_BODY) {
        reject(new Error('too large'));
        request.destroy();
      }
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}
