import { h, newId } from './dom.ts';

export interface Option<T> { readonly value: T; readonly label: string; readonly detail?: string }

/**
 * A text field with a list of suggestions (the ARIA combobox pattern): arrows move in the list,
 * Enter takes the highlighted one (the first if none is), Escape closes the list. Suggestions come
 * from `suggest`, which may be slow: only the answer to the latest text is shown.
 */
export class Combobox<T> {
  readonly input: HTMLInputElement;
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private options: Option<T>[] = [];
  private active = -1;
  private asked = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    id: string,
    private readonly suggest: (text: string) => Promise<Option<T>[] | undefined>,
    private readonly onPick: (option: Option<T>) => void,
    opts: { delayMs?: number; describedBy?: string } = {},
  ) {
    const listId = newId(`${id}-list`);
    this.input = h('input', {
      id,
      type: 'text',
      role: 'combobox',
      autocomplete: 'off',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': listId,
      'aria-describedby': opts.describedBy,
    });
    this.list = h('ul', { id: listId, role: 'listbox', class: 'suggestions', hidden: true });
    this.element = h('div', { class: 'combobox' }, this.input, this.list);
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.refresh(), opts.delayMs ?? 120);
    });
    this.input.addEventListener('focus', () => {
      if (!this.input.value) void this.refresh();
    });
    this.input.addEventListener('keydown', (e) => this.key(e));
    this.input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
  }

  get isOpen(): boolean {
    return !this.list.hidden;
  }

  async refresh(): Promise<void> {
    const ask = ++this.asked;
    const found = await this.suggest(this.input.value.trim());
    if (ask !== this.asked) return;
    this.options = found ?? [];
    this.active = -1;
    this.render();
  }

  close(): void {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  private key(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!this.isOpen) {
        void this.refresh();
        return;
      }
      const n = this.options.length;
      if (!n) return;
      this.active = e.key === 'ArrowDown' ? (this.active + 1) % n : (this.active - 1 + n) % n;
      this.render();
    } else if (e.key === 'Enter' && this.isOpen && this.options.length && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      this.pick(this.options[Math.max(0, this.active)]!);
    } else if (e.key === 'Escape' && this.isOpen) {
      e.preventDefault();
      e.stopPropagation();
      this.close();
    }
  }

  private pick(o: Option<T>): void {
    this.close();
    this.onPick(o);
  }

  private render(): void {
    this.list.replaceChildren(
      ...this.options.map((o, i) => {
        const li = h('li', { id: `${this.list.id}-${i}`, role: 'option', 'aria-selected': String(i === this.active), class: i === this.active ? 'active' : '' },
          h('span', {}, o.label), o.detail ? h('small', {}, o.detail) : undefined);
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          this.pick(o);
        });
        return li;
      }),
    );
    const open = this.options.length > 0 && document.activeElement === this.input;
    this.list.hidden = !open;
    this.input.setAttribute('aria-expanded', String(open));
    if (this.active >= 0) {
      this.input.setAttribute('aria-activedescendant', `${this.list.id}-${this.active}`);
      this.list.children[this.active]?.scrollIntoView({ block: 'nearest' });
    } else this.input.removeAttribute('aria-activedescendant');
  }
}
