import type { TimelineEntry } from './console-data.ts';
import type { Translate } from './context.ts';
import { clockTime, h } from './dom.ts';
import type { ConsoleKey } from './strings.ts';

/** The incident's history, newest last, each line with who did it. */
export class TimelinePanel {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;

  constructor(private readonly t: Translate, private readonly lang: string, private readonly unitName: (id: string) => string) {
    this.list = h('ol', { class: 'timeline' });
    this.element = h('section', { class: 'panel', 'aria-labelledby': 'tl-title' }, h('h3', { id: 'tl-title' }, t('timeline')), this.list);
  }

  render(entries: readonly TimelineEntry[]): void {
    this.list.replaceChildren(
      ...withoutEchoes(entries).map((e) =>
        h('li', { 'data-type': e.type },
          h('time', { datetime: e.at }, clockTime(e.at, this.lang)), ' ',
          h('span', {}, this.words(e)), ' ',
          h('span', { class: 'by' }, this.t('by', { who: this.who(e) })))),
    );
  }

  /** A part of the product named in the console's language ("moteur de réponse"); people and tokens by their name. */
  private who(e: TimelineEntry): string {
    if (e.actor?.kind !== 'system') return e.by;
    const key = `actor_${e.actor.id}` as ConsoleKey;
    const words = this.t(key);
    return words === key ? e.by : words;
  }

  /** The line in the console's language; the server's English summary when the type is not known here. */
  private words(e: TimelineEntry): string {
    const t = this.t;
    const d = e.data;
    const label = t(`tl_${e.type}` as ConsoleKey);
    if (label === `tl_${e.type}`) return e.summary;
    const vol = typeof d['volunteerId'] === 'string' ? ` ${d['volunteerId']}` : '';
    switch (e.type) {
      case 'IncidentReceived':
        return `${label}${t('colon')}P${String(d['priority'])}${d['address'] ? `, ${String(d['address'])}` : ''}`;
      case 'UnitsDispatched':
        return `${label}${t('colon')}${(d['unitIds'] as string[]).map(this.unitName).join(', ')}`;
      case 'IncidentStatusChanged':
        return `${label}${t('colon')}${t(`incidentStatus_${String(d['to'])}` as ConsoleKey)}`;
      case 'UnitStatusChanged':
        return `${this.unitName(String(d['unitId']))} ${t(`unitStatus_${String(d['to'])}` as ConsoleKey)}`;
      case 'IncidentMerged':
        return `${label} ${String(d['into'])}`;
      case 'DuplicateMerged':
        return `${label}${t('colon')}${String(d['duplicateId'])}`;
      case 'VolunteerRoleAssigned':
        return `${label}${vol}${t('colon')}${t(`role_${String(d['role'])}` as ConsoleKey)}`;
      case 'VolunteerResponseStatusChanged':
        return `${label}${t('colon')}${String(d['detail'] ?? d['to'])}`;
      default:
        return `${label}${vol}`;
    }
  }
}

/**
 * A dispatch is written as one UnitsDispatched and, in the same request, each unit's move to
 * dispatched: the units' lines would repeat the dispatch line, so they are left out.
 */
function withoutEchoes(entries: readonly TimelineEntry[]): TimelineEntry[] {
  const sent = new Set<string>();
  for (const e of entries) {
    if (e.type !== 'UnitsDispatched') continue;
    for (const u of (e.data['unitIds'] as string[] | undefined) ?? []) sent.add(`${e.requestId ?? e.at} ${u}`);
  }
  return entries.filter((e) => !(e.type === 'UnitStatusChanged' && e.data['to'] === 'dispatched' && sent.has(`${e.requestId ?? e.at} ${String(e.data['unitId'])}`)));
}
