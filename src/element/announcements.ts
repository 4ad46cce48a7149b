/**
 * What a screen reader hears without looking for it: the other person joining or leaving, a share starting or
 * stopping, read out from a polite live region (the status and tiles show the same to the eye).
 */
import { html } from 'lit';
import type { StringKey, Translate } from './i18n/translate.js';
import type { SessionController } from './session-controller.js';

/** Subscribes itself to the session's events; the element renders it. */
export class Announcements {
  #text = '';

  constructor(
    session: SessionController,
    private readonly t: () => Translate,
  ) {
    const remoteName = () => session.session?.remotePeer?.name;
    session.on('peer-join', ({ peer }) => this.#announce('joinedNotice', peer.name));
    session.on('peer-leave', ({ peer }) => this.#announce('leftNotice', peer.name));
    session.on('share-start', ({ side }) =>
      this.#announce(side === 'local' ? 'youSharedNotice' : 'sharedNotice', remoteName()),
    );
    session.on('share-end', ({ side }) =>
      this.#announce(side === 'local' ? 'youUnsharedNotice' : 'unsharedNotice', remoteName()),
    );
  }

  /** The live region; the same in the lobby and the call, so an announcement survives the switch between them. */
  render() {
    return html`<div class="visually-hidden" role="status" aria-live="polite">${this.#text}</div>`;
  }

  #announce(key: StringKey, name: string | undefined): void {
    const t = this.t();
    this.#text = t(key, { name: name || t('someone') });
  }
}
