/**
 * From a config path to where a person should look: `governance.rules[2].verdict` and its line and column
 * in arx.yaml. Paths come from the schema's view (where a single item stands for a one-item list); the file
 * may hold the single item, so list indexes the file does not have are dropped.
 */
import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { isRecord, type PathSegment } from './walk.js';

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * `governance.rules[2].verdict`; keys that are not identifiers are quoted: `tags["data=pii"]`.
 * @example formatPath(['governance', 'rules', 2, 'verdict']) // 'governance.rules[2].verdict'
 */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** Drops the `[0]` the schema adds where the file wrote one item instead of a list. */
export function filePath(raw: unknown, path: readonly PathSegment[]): PathSegment[] {
  const out: PathSegment[] = [];
  let node = raw;
  for (const segment of path) {
    if (typeof segment === 'number' && !Array.isArray(node)) {
      if (segment === 0) continue;
      out.push(segment);
      node = undefined;
      continue;
    }
    out.push(segment);
    node = Array.isArray(node)
      ? node[segment as number]
      : isRecord(node)
        ? node[segment as string]
        : undefined;
  }
  return out;
}

/** The value at a path of the raw parsed file (undefined when absent). */
export function valueAt(raw: unknown, path: readonly PathSegment[]): unknown {
  let node = raw;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isRecord(node) && typeof segment === 'string') node = node[segment];
    else return undefined;
  }
  return node;
}

/** The raw value a schema path refers to, allowing for single items written in place of lists. */
export function rawValueAt(raw: unknown, schemaPath: readonly PathSegment[]): unknown {
  return valueAt(raw, filePath(raw, schemaPath));
}

export interface Position {
  line: number;
  column: number;
}

/**
 * Where the value at `path` is written; for a missing value, where its nearest written ancestor is.
 * `at: 'key'` points at the key itself (for unknown keys).
 */
export function positionOf(
  doc: Document,
  lines: LineCounter,
  path: readonly PathSegment[],
  at: 'value' | 'key' = 'value',
): Position | undefined {
  let node: unknown = doc.contents;
  let offset = offsetOf(node);
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment,
      );
      if (!pair) break;
      const keyOffset = offsetOf(pair.key);
      if (last && at === 'key' && keyOffset !== undefined) return toPosition(lines, keyOffset);
      node = pair.value;
      offset = offsetOf(node) ?? keyOffset ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
      offset = offsetOf(node) ?? offset;
    } else break;
  }
  return offset === undefined ? undefined : toPosition(lines, offset);
}

function offsetOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function toPosition(lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}
