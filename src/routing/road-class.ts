/**
 * What kind of road a stretch is, as far as routing cares. The SF street lines carry no tags, so
 * there a segment is a `street` unless it lies on the DataSF arteries or freeways overlay; OSM
 * highway tags map onto the same classes (see osm-tags.ts).
 */
export type RoadClass = 'freeway' | 'arterial' | 'street' | 'service' | 'path';

/** In code order: a class is stored as its index in this list (one byte per edge). */
export const ROAD_CLASSES: readonly RoadClass[] = ['freeway', 'arterial', 'street', 'service', 'path'];

export const roadClassCode = (c: RoadClass): number => ROAD_CLASSES.indexOf(c);

export function roadClassOf(code: number): RoadClass {
  const c = ROAD_CLASSES[code];
  if (c === undefined) throw new Error(`road class code ${code} is not one of 0..${ROAD_CLASSES.length - 1}`);
  return c;
}

/**
 * Who may use a stretch, and which way, as bits of one byte. Walking ignores one-way rules; a
 * stretch that forbids walking (a freeway) has no WALK bit.
 */
export const DRIVE_FORWARD = 1;
export const DRIVE_BACKWARD = 2;
export const WALK = 4;
export const DRIVE_BOTH = DRIVE_FORWARD | DRIVE_BACKWARD;
