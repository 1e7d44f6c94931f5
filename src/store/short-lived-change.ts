/**
 * Checks an `update` of the short-lived store before anything is written, the same in every store:
 * its keys are distinct (a key twice would have two values to write back), and `change` gave one
 * value per key and an expiry that is a number of epoch ms.
 */
export function checkKeys(keys: readonly string[]): void {
  if (new Set(keys).size !== keys.length) throw new TypeError('update: the keys must be distinct');
}

export function checkChange(keys: readonly string[], values: readonly unknown[], expiresAt: number): void {
  if (values.length !== keys.length) throw new TypeError(`update: change gave ${values.length} values for ${keys.length} keys`);
  if (!Number.isFinite(expiresAt)) throw new TypeError('update: change gave an expiry that is not a number of ms');
}
