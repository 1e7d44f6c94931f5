/** The one way the pages talk to the server: JSON over fetch, with the session's CSRF token on writes. */
export interface ApiError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

let csrfToken: string | undefined;
let bearer: string | undefined;

/** The console's CSRF token (from sign-in or GET /api/session); sent as x-csrf-token on writes. */
export const setCsrfToken = (token: string | undefined): void => {
  csrfToken = token;
};
/** The responder's device token: a phone signs in with it, not with a cookie. */
export const setBearer = (token: string | undefined): void => {
  bearer = token;
};

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (bearer) headers['authorization'] = `Bearer ${bearer}`;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const e = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiFailure({ status: res.status, code: e?.code ?? 'Http' + res.status, message: e?.message ?? res.statusText, details: e?.details });
  }
  return parsed as T;
}
