import { expect } from 'vitest';
import type { TestResponse, TestServer } from './server.ts';

/** Asserts the API's one error shape: {"error":{"code","message","details"?}} with the status of its code. */
export function expectError(res: TestResponse, status: number, code: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Object.keys(res.body as object)).toEqual(['error']);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(0);
  for (const key of Object.keys(res.body.error as object)) expect(['code', 'message', 'details']).toContain(key);
}

/** Creates an incident and returns its id; fails the test unless the API answers 201. */
export async function createIncident(t: TestServer, body: Record<string, unknown>): Promise<string> {
  const res = await t.request('POST', '/api/incidents', body);
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

/** Near San Francisco City Hall, a few hundred metres from Station 36. */
export const CIVIC_CENTER = { lat: 37.7793, lon: -122.4193 } as const;
