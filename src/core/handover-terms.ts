/**
 * Handing an incident over to a partner centre (mutual aid): the words the events, the incident's
 * state and the hand-over's own stream share.
 */
export const HANDOVER_FORMATS = ['eido', 'emsi'] as const;
export type HandOverFormat = (typeof HANDOVER_FORMATS)[number];

/**
 * `requested`: decided, waiting to go out (retried while the partner is down); `sent`: the partner
 * took the document; `acknowledged`: it answered with its own incident; `refused`: it said no
 * (a bad document or signature), which is final.
 */
export type HandOverStatus = 'requested' | 'sent' | 'acknowledged' | 'refused';

export interface HandOverRefusal {
  /** The partner's HTTP status, when it answered. */
  readonly status?: number;
  readonly reason: string;
  /** Where the document was wrong, as the partner said (JSON pointer or XPath). */
  readonly errors?: readonly { readonly path: string; readonly message: string }[];
}

export interface HandOverState {
  readonly handoverId: string;
  readonly incidentId: string;
  readonly partnerId: string;
  readonly format: HandOverFormat;
  readonly reason: string;
  readonly status: HandOverStatus;
  readonly requestedAt: string;
  readonly updatedAt: string;
  /** Attempts it took to reach the partner. */
  readonly attempts?: number;
  /** The partner's id for the incident it made from the document. */
  readonly partnerIncidentId?: string;
  readonly refusal?: HandOverRefusal;
}

/** The hand-over's own stream: its status is what the sender looks up at start-up. */
export const handoverStream = (handoverId: string): string => `handover-${handoverId}`;

/** The longest reason a dispatcher may give. */
export const HANDOVER_REASON_MAX = 500;
