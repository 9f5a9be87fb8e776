/** Machine-readable report: the Review as it is, with a format version for consumers. */
import type { Review } from '../engine/types.js';

export const JSON_FORMAT_VERSION = 1;

export function renderJson(review: Review, meta: { toolVersion: string; failed: boolean }): string {
  return `${JSON.stringify({ formatVersion: JSON_FORMAT_VERSION, tool: { name: 'pyward', version: meta.toolVersion }, failed: meta.failed, ...review }, null, 2)}\n`;
}
