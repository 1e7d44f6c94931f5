/** Who a caller is to the system. Staff roles sign in to the console; others use tokens. */
export const ROLES = ['call_taker', 'dispatcher', 'supervisor', 'admin', 'volunteer', 'integration'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/** What an integration token may do; staff roles are not scoped. */
export const SCOPES = ['incidents:read', 'incidents:write', 'units:read', 'units:write', 'positions:write', 'events:read', 'aml:write'] as const;
export type Scope = (typeof SCOPES)[number];
export const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);
