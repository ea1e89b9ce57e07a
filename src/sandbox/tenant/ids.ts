import { rngAt, uuidFrom } from '../kit/random.js';

/**
 * Ids that look like Wiz's UUIDs yet carry the finding's index in their last 12 hex digits, so an id sent
 * back by a client (`updateIssue`) finds its finding without a lookup table. The other digits come from
 * (seed, kind, index), and `indexFromId` checks them, so a made-up id is rejected.
 */
export function idFor(seed: number, kind: string, index: number): string {
  const uuid = uuidFrom(rngAt(seed, 'id', kind, index));
  return `${uuid.slice(0, 24)}${index.toString(16).padStart(12, '0')}`;
}

export function indexFromId(seed: number, kind: string, id: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return undefined;
  const index = Number.parseInt(id.slice(24), 16);
  return idFor(seed, kind, index) === id ? index : undefined;
}
