import type { PushSubscriptionRecord, PushSubscriptionStore } from '../alerting/web-push.ts';
import type { Volunteers } from './volunteers.ts';

export const WEB_PUSH_CHANNEL = 'web_push';

/** A browser's PushSubscription as the responder app posts it. */
export interface PushSubscriptionInput {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

/**
 * Web Push subscriptions kept as devices of the volunteer's personal data (the registry's profile),
 * so that they are erased with the account. Each remembers the device token that registered it.
 */
export class PushDevices implements PushSubscriptionStore {
  constructor(private readonly volunteers: Volunteers) {}

  /** Registers (or replaces, by endpoint) a subscription; false when the volunteer has no personal data. */
  async register(volunteerId: string, sub: PushSubscriptionInput, credentialId: string): Promise<boolean> {
    await this.remove(volunteerId, sub.endpoint);
    const record = { endpoint: sub.endpoint, keys: { p256dh: sub.keys.p256dh, auth: sub.keys.auth }, credentialId };
    return (await this.volunteers.addDevice(volunteerId, WEB_PUSH_CHANNEL, record)) !== undefined;
  }

  of(volunteerId: string): PushSubscriptionRecord[] {
    const devices = this.volunteers.profile(volunteerId)?.devices ?? [];
    return devices.flatMap((d) => {
      if (d.channel !== WEB_PUSH_CHANNEL) return [];
      const s = d.subscription as { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown }; credentialId?: unknown };
      if (typeof s.endpoint !== 'string' || typeof s.keys?.p256dh !== 'string' || typeof s.keys.auth !== 'string' || typeof s.credentialId !== 'string') return [];
      return [{ endpoint: s.endpoint, p256dh: s.keys.p256dh, auth: s.keys.auth, credentialId: s.credentialId }];
    });
  }

  async remove(volunteerId: string, endpoint: string): Promise<void> {
    for (const d of this.volunteers.profile(volunteerId)?.devices ?? []) {
      if (d.channel === WEB_PUSH_CHANNEL && (d.subscription as { endpoint?: unknown }).endpoint === endpoint) await this.volunteers.removeDevice(volunteerId, d.id);
    }
  }
}
