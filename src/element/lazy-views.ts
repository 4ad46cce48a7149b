/**
 * A module of views the element loads the first time it shows one of them (the chat and file panels, the camera/
 * microphone problem screens): the script-tag bundle does not carry them at page load. Until the module is here its
 * views render as nothing; its arrival re-renders the host, and its styles join the host's shadow root then. The
 * host's updateComplete waits for a module on its way, so "updated" still means "showing what it should".
 */
import { supportsAdoptingStyleSheets, type CSSResult, type ReactiveElement } from 'lit';

export interface ViewModule {
  styles: CSSResult;
}

/** Modules already here, by loader: pass one loader per module (a module-level function), shared by all hosts. */
const loaded = new Map<() => Promise<ViewModule>, ViewModule>();

export class LazyViews<T extends ViewModule> {
  #loading?: Promise<void>;
  #adopted = false;

  constructor(
    private readonly host: ReactiveElement,
    private readonly load: () => Promise<T>,
  ) {}

  /** The module, or undefined while it loads (asking starts the load; the host re-renders when it is here). */
  get views(): T | undefined {
    const module = loaded.get(this.load) as T | undefined;
    if (!module) {
      this.#loading ??= this.load().then(
        (arrived) => {
          loaded.set(this.load, arrived);
          this.host.requestUpdate();
        },
        () => (this.#loading = undefined), // offline: shown as nothing; the next render asks again
      );
      return undefined;
    }
    if (!this.#adopted) {
      this.#adopted = true;
      adoptStyles(this.host.renderRoot as ShadowRoot, module.styles);
    }
    return module;
  }

  /** The load in progress, if any. */
  get loading(): Promise<void> | undefined {
    return loaded.has(this.load) ? undefined : this.#loading;
  }
}

/**
 * Adds the styles to the host's shadow root, after its own. Without constructable style sheets (Safari before 16.4)
 * Lit gives the element its styles as <style> elements, and so does this, with Lit's nonce for a page whose CSP
 * asks for one.
 */
function adoptStyles(root: ShadowRoot, styles: CSSResult): void {
  if (supportsAdoptingStyleSheets && styles.styleSheet) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles.styleSheet];
    return;
  }
  const style = document.createElement('style');
  const nonce = (globalThis as { litNonce?: string }).litNonce;
  if (nonce !== undefined) style.setAttribute('nonce', nonce);
  style.textContent = styles.cssText;
  root.append(style);
}
