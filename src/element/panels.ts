/**
 * Views the element shows only on request, as small Lit templates (pure functions of their inputs): the file, chat and
 * settings panels, the preview of your own share and the drop hint, with the file rows' state. A chunk of its own in
 * the script-tag bundle, loaded when one of them first shows (lazy-views.ts).
 */
import { html, nothing } from 'lit';
import type { ChatDetail } from '../session/call-events.js';
import type { DeviceKind, DeviceLists } from '../session/devices.js';
import { devicePickers } from './device-pickers.js';
// Its byte format comes with the file-transfer chunk (loaded once a call connects): no third, tiny chunk for it.
import { formatBytes } from '../session/file-transfer/file-transfers.js';
import { closeIcon, fileIcon } from './icons.js';
import type { Translate } from './i18n/translate.js';
import type { TransferRow } from './transfer-list.js';

export { styles } from './panels.styles.js';
export { TransferList } from './transfer-list.js';

export function transfersPanel(t: Translate, rows: TransferRow[], onCancel: (id: string) => void, onDismiss: (id: string) => void) {
  if (rows.length === 0) return nothing;
  return html`<section part="files" class="panel files" aria-label=${t('files')}>
    <ul>
      ${rows.map(
        (row) => html`<li part="file">
          <span class="file-name" title=${row.name}>${row.direction === 'send' ? '↑' : '↓'} ${row.name}</span>
          <span class="file-status">${transferStatus(t, row)}</span>
          <progress part="file-progress" max=${row.size || 1} value=${row.bytes} aria-label=${row.name}></progress>
          ${row.status === 'active'
            ? html`<button part="file-cancel-button" class="link-button" @click=${() => onCancel(row.id)}>${t('cancel')}</button>`
            : html`${row.url
                  ? html`<a part="file-download" class="link-button" href=${row.url} download=${row.name}>${t('save')}</a>`
                  : nothing}
                <button part="file-dismiss-button" class="icon-button" aria-label=${`${t('dismiss')} ${row.name}`} @click=${() => onDismiss(row.id)}>
                  ${closeIcon}
                </button>`}
        </li>`,
      )}
    </ul>
  </section>`;
}

function transferStatus(t: Translate, row: TransferRow): string {
  if (row.status === 'done') return t(`done_${row.direction}`);
  if (row.status === 'stopped') return t(`stopped_${row.reason ?? 'cancelled'}`);
  const verb = row.direction === 'send' ? t('sending') : t('receiving');
  return `${verb} ${formatBytes(row.bytes)} / ${formatBytes(row.size)}`;
}

export function chatPanel(t: Translate, lines: ChatDetail[], canSend: boolean, onSend: (text: string) => void) {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('message') as HTMLInputElement;
    onSend(input.value);
    input.value = '';
  };
  return html`<section part="chat" class="panel chat" aria-label=${t('chat')}>
    <ol class="chat-lines" aria-live="polite">
      ${lines.map(
        (line) => html`<li class=${`from-${line.from}`}>
          <span class="chat-author">${line.from === 'local' ? t('you') : line.name || t('remote')}</span>
          <span>${line.text}</span>
        </li>`,
      )}
    </ol>
    <form @submit=${submit}>
      <input part="chat-input" name="message" autocomplete="off" maxlength="2000" aria-label=${t('chatPlaceholder')} placeholder=${t('chatPlaceholder')} ?disabled=${!canSend} />
      <button part="chat-send-button" class="text-button small" ?disabled=${!canSend}>${t('chatSend')}</button>
    </form>
  </section>`;
}

export function settingsPanel(t: Translate, devices: DeviceLists, selected: Partial<Record<DeviceKind, string>>, onPick: (kind: DeviceKind, id: string) => void) {
  return html`<section part="settings" class="panel settings" aria-label=${t('settings')}>
    ${devicePickers(t, devices, selected, onPick)}
    <p class="hint">${t('shortcuts')}</p>
  </section>`;
}

/** `srcObject`: the element's binding of your share's stream. */
export function sharePreview(t: Translate, srcObject: unknown) {
  return html`<div part="share-preview" class="tile share-preview">
    <video autoplay playsinline .muted=${true} aria-label=${t('youAreSharing')} .srcObject=${srcObject}></video>
    <span class="label">${t('youAreSharing')}</span>
  </div>`;
}

export const dropHint = (t: Translate) => html`<div part="drop-hint" class="drop-hint">${fileIcon} ${t('dropFiles')}</div>`;
