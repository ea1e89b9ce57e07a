/**
 * Seeded randomness for the sandbox. The tenant is generated from (seed, index) on demand, so every value
 * must be derivable without walking a sequence: `rngAt(seed, i)` gives finding i its own stream.
 */
import { mulberry32 } from '../../core/random.js';

export { mulberry32 };

/** Mixes any number of integers (or strings) into one 32-bit seed (murmur3 finaliser per part). */
export function mixSeed(...parts: Array<number | string>): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    const value = typeof part === 'string' ? hashString(part) : part;
    h ^= Math.imul((value >>> 0) ^ Math.floor(value / 4294967296), 0xcc9e2d51);
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A PRNG stream for one item of one seed: same (seed, ...parts), same values. */
export function rngAt(seed: number, ...parts: Array<number | string>): () => number {
  return mulberry32(mixSeed(seed, ...parts));
}

function hashString(text: string): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Small helpers over a `() => number` stream. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(random() * items.length)] as T;
}

export function intBetween(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Picks by weight: `weighted(r, [['CRITICAL', 1], ['HIGH', 3]])`. */
export function weighted<T>(random: () => number, choices: ReadonlyArray<readonly [T, number]>): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [value, weight] of choices) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return choices[choices.length - 1]![0];
}

/** A deterministic RFC 4122-shaped id (version 4 layout) from a stream. */
export function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
