/**
 * When findings of one kind were created. Initial findings spread evenly over the 90 days before the
 * tenant's anchor, in index order, so index order is creation order (which makes `orderBy CREATED_AT` a
 * walk over indices). Findings that arrive with a later scan are created just after that scan's time.
 */
export const HISTORY_MS = 90 * 24 * 3600 * 1000;

export interface KindLayout {
  /** Findings present at scan 0. */
  base: number;
  /** New findings per scan. */
  perScan: number;
}

export function layoutFor(base: number): KindLayout {
  return { base, perScan: Math.max(1, Math.floor(base / 50)) };
}

export function countAt(layout: KindLayout, scan: number): number {
  return layout.base + scan * layout.perScan;
}

export function arrivalScan(layout: KindLayout, index: number): number {
  return index < layout.base ? 0 : 1 + Math.floor((index - layout.base) / layout.perScan);
}

export function createdAt(
  layout: KindLayout,
  index: number,
  scanTimes: readonly number[],
  jitter: number,
): number {
  const scan = arrivalScan(layout, index);
  if (scan > 0) return scanTimes[scan]! + ((index - layout.base) % layout.perScan);
  const anchor = scanTimes[0]!;
  const spacing = HISTORY_MS / Math.max(1, layout.base);
  return Math.floor(anchor - HISTORY_MS + index * spacing + jitter * spacing * 0.99);
}
