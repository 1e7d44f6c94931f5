import type { HandOverState } from '../core/handover-terms.ts';
import type { IncidentId } from '../core/ids.ts';
import type { StreamState } from '../core/loaded.ts';
import { incidentStream } from '../core/streams.ts';
import type { Partner } from '../config/partners-config.ts';
import type { EidoCentre } from '../interop/eido/to-eido.ts';
import { emsiToXml } from '../interop/emsi/emsi-xml.ts';
import { toEmsi } from '../interop/emsi/to-emsi.ts';
import type { LogTail } from '../log/log-tail.ts';
import type { Writer } from '../log/writer.ts';
import type { Queries } from '../read-models/queries.ts';
import { PerTerm } from './background.ts';
import { HandOverSender, type HandOverDocument } from '../reactors/handover-sender.ts';
import type { EventStore } from '../store/event-store.ts';
import type { Clock } from '../time/clock.ts';
import { DEMO_TIME_ZONE } from '../time/time-zone.ts';
import { assignedUnits, currentEido } from './incident-eido.ts';

/** Retry timings of hand-overs (tests shorten them). */
export interface HandOverOptions {
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly random?: () => number;
  /** Where the sender's lines go (default stderr): a partner failing, a record retried. */
  readonly log?: (line: string) => void;
}

/** Our centre as the documents we send name it: the same settings the EIDO and EMSI routes read. */
export function ourCentre(env: Readonly<Record<string, string | undefined>> = process.env): { eido: EidoCentre; emsi: { orgId: string; orgName: string }; timeZone: string } {
  const agencyId = env['SAMARITAN_AGENCY_ID'] ?? 'samaritan.invalid';
  return {
    eido: {
      agencyId,
      elementId: env['SAMARITAN_EIDO_ELEMENT_ID'] ?? `cad.${agencyId}`,
      agencyTypes: (env['SAMARITAN_AGENCY_TYPES'] ?? 'fire,ems').split(',').filter((t) => t !== ''),
    },
    emsi: { orgId: env['SAMARITAN_EMSI_ORG_ID'] ?? 'samaritan', orgName: env['SAMARITAN_EMSI_ORG_NAME'] ?? 'Samaritan' },
    timeZone: env['SAMARITAN_TIME_ZONE'] ?? DEMO_TIME_ZONE,
  };
}

/** Partner centres and the sender of hand-overs to them, which runs on the leader only (`term`). */
export interface HandOvers {
  readonly partners: ReadonlyMap<string, Partner>;
  readonly sender: HandOverSender;
  readonly term: PerTerm<HandOverSender>;
}

/** Builds the sender, rendering each hand-over in its partner's standard from the incident as it is now. */
export function createHandOvers(
  d: { store: EventStore<StreamState>; writer: Writer; tail: LogTail; queries: Queries; time: Clock; partners: readonly Partner[] },
  options: HandOverOptions = {},
): HandOvers {
  const partners = new Map(d.partners.map((p) => [p.id, p]));
  const centre = ourCentre();
  const render = async (h: HandOverState): Promise<HandOverDocument | undefined> => {
    if (h.format === 'eido') {
      const doc = await currentEido(d, h.incidentId, centre);
      return doc === undefined ? undefined : { contentType: 'application/json', body: JSON.stringify(doc) };
    }
    const stream = incidentStream(h.incidentId as IncidentId);
    const snap = (await d.store.load([stream])).get(stream);
    const incident = await d.queries.incident(h.incidentId);
    if (snap === undefined || incident === undefined) return undefined;
    const units = await assignedUnits(d.queries, Object.keys(incident.assignments));
    const now = new Date(d.time.now()).toISOString();
    const message = toEmsi(incident, { ...centre.emsi, messageId: `${incident.id}@${snap.version}`, now, units });
    return { contentType: 'application/xml; charset=utf-8', body: emsiToXml(message) };
  };
  const make = () =>
    new HandOverSender({
      store: d.store,
      writer: d.writer,
      partners,
      render,
      time: d.time,
      random: options.random ?? Math.random,
      ...(options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs }),
      ...(options.maxBackoffMs === undefined ? {} : { maxBackoffMs: options.maxBackoffMs }),
      log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
    });
  const term = new PerTerm('hand-over sender', make);
  d.tail.follow((events) => term.sender.notice(events));
  return {
    partners,
    get sender() {
      return term.sender;
    },
    term,
  };
}
