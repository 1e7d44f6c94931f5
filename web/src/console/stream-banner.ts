import { api } from '../shared/api.ts';
import type { LiveStream, StreamState } from '../shared/live-stream.ts';
import type { Translate } from './context.ts';
import { h } from './dom.ts';

/**
 * Says whether the console is live, offline, or behind: back on line but still replaying what it
 * missed (the log has later events than the last one applied).
 */
export class StreamBanner {
  readonly element: HTMLElement;
  private target: number | undefined;
  private last: number | undefined;

  constructor(private readonly t: Translate) {
    this.element = h('div', { class: 'banner', role: 'status', 'aria-live': 'polite', 'data-state': 'connecting' }, t('connecting'));
  }

  state(s: StreamState, stream: LiveStream): void {
    if (s !== 'live') return this.show(s);
    const after = stream.lastSeq ?? 0;
    this.show('behind');
    void api<{ events: { seq: number }[] }>('GET', `/api/events?after=${after}&limit=500`).then(
      ({ events }) => {
        this.target = events.at(-1)?.seq;
        this.settle();
      },
      () => this.show('live'),
    );
  }

  applied(seq: number): void {
    this.last = seq;
    this.settle();
  }

  private settle(): void {
    if (this.element.dataset['state'] !== 'behind') return;
    if (this.target === undefined || (this.last ?? 0) >= this.target) {
      this.target = undefined;
      this.show('live');
    }
  }

  private show(s: StreamState | 'behind'): void {
    this.element.dataset['state'] = s;
    this.element.textContent = this.t(s);
  }
}
