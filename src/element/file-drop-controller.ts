/**
 * Files the person gives the element to send: dragged onto it, or picked with the file button (through the view's
 * hidden file input). A drop is only accepted while a file can go (the call is connected); otherwise the browser
 * does what it does with a drop elsewhere on the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class FileDropController implements ReactiveController {
  /** Files are being dragged over the element (the drop hint shows). */
  dragging = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly canDrop: () => boolean,
    private readonly onFile: (file: File) => void,
  ) {
    host.addController(this);
  }

  /** The file button: opens the browser's file picker. */
  pick = (): void => this.host.shadowRoot?.querySelector<HTMLInputElement>('input[type="file"]')?.click();

  /** The file input's `change`: sends what was picked, and empties it so the same file can be picked again. */
  handlePicked = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    this.#send(input.files);
    input.value = '';
  };

  hostConnected(): void {
    this.host.addEventListener('dragover', this.#handleDragOver);
    this.host.addEventListener('dragleave', this.#handleDragLeave);
    this.host.addEventListener('drop', this.#handleDrop);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('dragover', this.#handleDragOver);
    this.host.removeEventListener('dragleave', this.#handleDragLeave);
    this.host.removeEventListener('drop', this.#handleDrop);
  }

  #handleDragOver = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes('Files') || !this.canDrop()) return;
    event.preventDefault(); // accepts the drop
    event.dataTransfer.dropEffect = 'copy';
    this.#setDragging(true);
  };

  #handleDragLeave = (event: DragEvent): void => {
    if (!this.host.contains(event.relatedTarget as Node | null)) this.#setDragging(false);
  };

  #handleDrop = (event: DragEvent): void => {
    if (!this.dragging) return;
    event.preventDefault();
    this.#setDragging(false);
    this.#send(event.dataTransfer?.files);
  };

  #send(files: FileList | null | undefined): void {
    for (const file of files ?? []) this.onFile(file);
  }

  #setDragging(dragging: boolean): void {
    if (dragging === this.dragging) return;
    this.dragging = dragging;
    this.host.requestUpdate();
  }
}
