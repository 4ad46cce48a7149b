/**
 * What the file and chat panels show: one row per file transfer, and the chat lines with the count of those not seen
 * yet. The rows' state (TransferList) comes with the panels chunk; file events from before it arrived wait here, in
 * order, and are applied when it is here.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatDetail, FileOfferDetail } from '../session/call-events.js';
import type { LazyViews } from './lazy-views.js';
import type * as Panels from './panels.js';
import type { SessionController } from './session-controller.js';
import type { TransferList, TransferRow } from './transfer-list.js';

/** Chat lines kept in the panel; older ones scroll away for good. */
const CHAT_HISTORY = 200;

export class TransfersController implements ReactiveController {
  chatLines: ChatDetail[] = [];
  chatOpen = false;
  /** Lines from the other person that arrived while the chat was closed. */
  unreadChat = 0;
  #list?: TransferList;
  #waiting: Array<(list: TransferList) => void> = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly panels: LazyViews<typeof Panels>,
    session: SessionController,
  ) {
    host.addController(this);
    session.on('chat', (line) => {
      this.chatLines = [...this.chatLines.slice(-(CHAT_HISTORY - 1)), line];
      if (line.from === 'remote' && !this.chatOpen) this.unreadChat += 1;
    });
    session.on('file-progress', (progress) =>
      this.#change((list) => {
        if (progress.direction === 'send' && progress.bytes === 0) list.offered(progress, 'send');
        list.progress(progress);
      }),
    );
    session.on('file-received', (detail) => this.#change((list) => list.received(detail)));
    session.on('file-sent', (detail) => this.#change((list) => list.sent(detail.id)));
    session.on('file-cancel', (detail) => this.#change((list) => list.cancelled(detail)));
  }

  /** The rows, once waiting changes are applied (when the panels chunk is here). */
  get rows(): TransferRow[] {
    this.#applyWaiting();
    return this.#list?.rows ?? [];
  }

  /** An offer this side accepted: its row shows from now on. */
  accepted(offer: FileOfferDetail): void {
    this.#change((list) => list.offered(offer, 'receive'));
    this.host.requestUpdate();
  }

  dismiss = (id: string): void => {
    this.#list?.dismiss(id);
    this.host.requestUpdate();
  };

  toggleChat = (): void => {
    this.chatOpen = !this.chatOpen;
    if (this.chatOpen) this.unreadChat = 0;
    this.host.requestUpdate();
  };

  /** A new call starts with empty panels. */
  clear(): void {
    this.chatLines = [];
    this.#waiting = [];
    this.#list?.clear(); // revokes the saved files' object URLs
  }

  hostDisconnected(): void {
    this.#waiting = [];
    this.#list?.clear();
  }

  #change(change: (list: TransferList) => void): void {
    this.#waiting.push(change);
    this.#applyWaiting(); // at once when the chunk is here; else it starts loading, and its arrival re-renders
  }

  #applyWaiting(): void {
    const views = this.#waiting.length ? this.panels.views : undefined;
    if (!views) return;
    const list = (this.#list ??= new views.TransferList());
    for (const change of this.#waiting.splice(0)) change(list);
  }
}
