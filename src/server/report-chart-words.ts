import type { IntervalName, NfpaThresholds } from '../reports/intervals.ts';

export type ChartLang = 'en' | 'fr';

/** The words the live charts' callers choose (titles, series, the threshold's label), in the console's language. */
export interface ChartWords {
  readonly interval: Readonly<Record<IntervalName, string>>;
  readonly ems: string;
  readonly fire: string;
  /** Turnout has two objectives, EMS's and fire's: its title gives them, as one line on the chart could not. */
  distributionTitle(interval: IntervalName, t: NfpaThresholds): string;
  readonly areasTitle: string;
  /** What the bars of the station areas chart stand for. */
  readonly areasLabel: string;
  station(area: string): string;
  readonly mapTitle: string;
}

const EN: ChartWords = {
  interval: {
    callToDispatchS: 'Call to dispatch',
    turnoutS: 'Turnout',
    travelS: 'Travel',
    firstUnitS: 'First unit on scene',
    firstHelpS: 'First help (volunteer or unit)',
  },
  ems: 'EMS',
  fire: 'Fire',
  distributionTitle: (i, t) =>
    i === 'firstHelpS'
      ? 'Time to first help and to the first unit, from the call'
      : i === 'turnoutS'
        ? `Turnout: share of incidents within a time (objectives ${t.turnoutEmsS} s EMS, ${t.turnoutFireS} s fire)`
        : `${EN.interval[i]}: share of incidents within a time`,
  areasTitle: 'First unit travel by station area (median and 90th percentile)',
  areasLabel: 'live',
  station: (area) => `Station ${area}`,
  mapTitle: 'Where help is late: median time to first help per cell',
};

// A non-breaking space before colons, as French typesetting wants.
const FR: ChartWords = {
  interval: {
    callToDispatchS: 'Appel à engagement',
    turnoutS: 'Départ',
    travelS: 'Trajet',
    firstUnitS: 'Premier engin sur les lieux',
    firstHelpS: 'Premiers secours (bénévole ou engin)',
  },
  ems: 'Secours à personne',
  fire: 'Incendie',
  distributionTitle: (i, t) =>
    i === 'firstHelpS'
      ? "Délai des premiers secours et du premier engin, depuis l'appel"
      : i === 'turnoutS'
        ? `Départ\u00a0: part des interventions dans un délai (objectifs ${t.turnoutEmsS}\u00a0s SAP, ${t.turnoutFireS}\u00a0s incendie)`
        : `${FR.interval[i]}\u00a0: part des interventions dans un délai`,
  areasTitle: 'Trajet du premier engin par secteur de caserne (médiane et 90e centile)',
  areasLabel: 'en direct',
  station: (area) => `Caserne ${area}`,
  mapTitle: 'Où les secours tardent\u00a0: délai médian des premiers secours par maille',
};

export const chartWords = (lang: ChartLang): ChartWords => (lang === 'fr' ? FR : EN);
