import { describe, expect, it } from 'vitest';
import type { LatLon } from '../core/lat-lon.ts';
import type { TravelOrigin, TravelResult, TravelTimeEstimator } from '../core/travel-time.ts';
import { TravelCache } from './travel-cache.ts';

/** A road whose answer names the question (origin, type, destination), counting the origins it is asked about. */
function countingRoad(): TravelTimeEstimator & { asked: number } {
  const road = {
    name: 'counting',
    asked: 0,
    travelTimes(to: LatLon, origins: readonly TravelOrigin[]): TravelResult[] {
      road.asked += origins.length;
      return origins.map((o) => ({ ok: true, travelS: o.location.lat * 1000 + o.location.lon + to.lat * 7 + (o.unitType === 'medic' ? 0.5 : 0), distanceM: to.lon }) as TravelResult);
    },
  };
  return road;
}

const at = (lat: number, lon: number): LatLon => ({ lat, lon });
const o = (id: string, location: LatLon, unitType = 'engine'): TravelOrigin => ({ id, location, unitType });

describe('the travel cache', () => {
  it('answers_as_the_road_does_and_asks_it_only_what_it_was_not_asked_before', () => {
    const road = countingRoad();
    const cache = new TravelCache(road);
    const scene = at(37.77, -122.41);
    const first = [o('a', at(37.7, -122.4)), o('b', at(37.71, -122.42), 'medic'), o('c', at(37.7, -122.4), 'medic')];
    expect(cache.travelTimes(scene, first)).toEqual(road.travelTimes(scene, first));
    road.asked = 0;
    const again = [o('c', at(37.7, -122.4), 'medic'), o('d', at(37.72, -122.43)), o('a', at(37.7, -122.4))];
    expect(cache.travelTimes(scene, again)).toEqual(countingRoad().travelTimes(scene, again));
    expect(road.asked).toBe(1);
    // The same origins to another destination are another question.
    expect(cache.travelTimes(at(37.78, -122.41), first)).toEqual(countingRoad().travelTimes(at(37.78, -122.41), first));
    expect(road.asked).toBe(4);
  });

  it('starts_again_when_full_and_still_answers_right', () => {
    const road = countingRoad();
    const cache = new TravelCache(road, 3);
    const scene = at(37.77, -122.41);
    const origins = [o('a', at(37.7, -122.4)), o('b', at(37.71, -122.42)), o('c', at(37.72, -122.43))];
    cache.travelTimes(scene, origins);
    road.asked = 0;
    cache.travelTimes(scene, origins.slice(0, 1));
    expect(road.asked).toBe(1);
    expect(cache.travelTimes(scene, origins)).toEqual(countingRoad().travelTimes(scene, origins));
    expect(road.asked).toBe(3);
  });
});
