import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { TemplateResult } from 'lit';
import { messageOf } from './message';

/**
 * What an analytics tab asked for last, as its element shows it: busy, the answer, or why there
 * is none (a Lit reactive controller: its host renders again whenever it changes).
 * - must drop the answer, or the error, of a question asked before the last one;
 * - must say an error as its message, as text.
 */
export class Asking<R> implements ReactiveController {
  busy = false;
  /** The answer, or why it could not be had; null before the first. */
  result: R | string | null = null;
  private asked = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Asks `question`, showing `busy` meanwhile; what it answers (or throws) is then shown. */
  async ask(question: () => Promise<R>): Promise<void> {
    const asked = ++this.asked;
    this.update(true, this.result);
    let result: R | string;
    try {
      result = await question();
    } catch (error) {
      result = messageOf(error);
    }
    if (asked === this.asked) this.update(false, result);
  }

  /** What to show: `busyText` while asking, the error, nothing yet, or `shown(answer)`. */
  view(busyText: string, shown: (result: R) => TemplateResult): TemplateResult | typeof nothing {
    if (this.busy) return html`<p role="status">${busyText}</p>`;
    if (typeof this.result === 'string')
      return html`<p class="error" role="alert">${this.result}</p>`;
    return this.result === null ? nothing : shown(this.result);
  }

  private update(busy: boolean, result: R | string | null): void {
    this.busy = busy;
    this.result = result;
    this.host.requestUpdate();
  }
}
