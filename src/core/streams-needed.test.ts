import { describe, expect, it } from 'vitest';
import { streamsNeeded } from './decide.ts';
import type { Loaded } from './loaded.ts';
import { parseStream } from './streams.ts';
import {
  cancel,
  changeStatus,
  dispatch,
  given,
  incidentReceived,
  merge,
  receive,
  unitCommissioned,
  unitMoves,
  unitsDispatched,
  type World,
} from './test-kit.ts';

/** The streams a command still needs once `streams` are loaded from `world` (absent ones as undefined). */
const stillNeeded = (world: World, c: Parameters<typeof streamsNeeded>[0], streams: readonly string[]): string[] => {
  const loaded: Loaded = new Map(streams.map((s) => [s, world.get(s)]));
  return streamsNeeded(c, loaded);
};

const world = given(
  unitCommissioned('E1', 'engine'),
  unitCommissioned('E2', 'engine'),
  incidentReceived('I1'),
  unitsDispatched('I1', ['E1', 'E2']),
  unitMoves('E2', 'I1', 'dispatched', ['available']),
).world;

describe('the streams a command is decided against', () => {
  it('a received incident needs only its own stream', () => {
    expect(stillNeeded(world, receive('I2'), [])).toEqual(['incident-I2']);
  });

  it('a dispatch needs the incident and every unit named', () => {
    expect(stillNeeded(world, dispatch('I1', ['E1', 'E2']), [])).toEqual(['incident-I1', 'unit-E1', 'unit-E2']);
  });

  it('a unit status change needs the unit first, then the incident the unit turns out to be committed to', () => {
    expect(stillNeeded(world, changeStatus('E1', 'en_route'), [])).toEqual(['unit-E1']);
    expect(stillNeeded(world, changeStatus('E1', 'en_route'), ['unit-E1'])).toEqual(['incident-I1']);
    expect(stillNeeded(world, changeStatus('E2', 'out_of_service'), ['unit-E2'])).toEqual([]);
  });

  it('a cancellation needs the incident first, then the units still committed to it', () => {
    expect(stillNeeded(world, cancel('I1'), [])).toEqual(['incident-I1']);
    expect(stillNeeded(world, cancel('I1'), ['incident-I1'])).toEqual(['unit-E1']);
  });

  it('a merge needs both incidents', () => {
    expect(stillNeeded(world, merge('I2', 'I1'), [])).toEqual(['incident-I2', 'incident-I1']);
  });

  it('a stream looked up and found missing is not asked for again', () => {
    expect(stillNeeded(world, changeStatus('E9', 'available'), ['unit-E9'])).toEqual([]);
  });

  it('every stream name says its kind and id', () => {
    expect(parseStream('incident-I-2024-01')).toEqual({ kind: 'incident', id: 'I-2024-01' });
    expect(parseStream('unit-E1')).toEqual({ kind: 'unit', id: 'E1' });
    expect(parseStream('account-7')).toBeUndefined();
    expect(parseStream('nodash')).toBeUndefined();
  });
});
