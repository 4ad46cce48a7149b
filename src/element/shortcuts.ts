/**
 * Keyboard shortcuts: M toggles the microphone, V the camera. They listen on the element itself, so they only act
 * while focus is inside the call (a single-key shortcut that fired anywhere on the page would catch speech input and
 * typing meant for the host page), and never while the person types in a text field (the chat, the name) or uses a
 * modifier key.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type ShortcutAction = 'mic' | 'camera';

const KEYS: Record<string, ShortcutAction> = { m: 'mic', v: 'camera' };

export function shortcutFor(event: KeyboardEvent): ShortcutAction | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || event.repeat) return undefined;
  if (isTyping(event.composedPath()[0])) return undefined;
  return KEYS[event.key.toLowerCase()];
}

function isTyping(target: EventTarget | undefined): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement)
    return true;
  return (
    target instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'range', 'submit'].includes(target.type)
  );
}

/** Listens on the host for the shortcuts while `enabled()` (a call that ended has nothing to mute). */
export class ShortcutsController implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly enabled: () => boolean,
    private readonly act: (action: ShortcutAction) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('keydown', this.#handleKeyDown);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('keydown', this.#handleKeyDown);
  }

  #handleKeyDown = (event: KeyboardEvent): void => {
    const action = shortcutFor(event);
    if (!action || !this.enabled()) return;
    event.preventDefault();
    this.act(action);
  };
}
