/**
 * `limit`/`offset` paging of sevDesk list calls. Without `limit` a list holds up to 100 entries (SVS
 * info: "all company contact entries … up to a limit of 100"). Since 30.05.2025 a `limit` outside
 * 1–1000, or not an integer, is refused with 400 (sevDesk API news "Breaking change: new API pagination
 * limits", https://tech.sevdesk.com/api_news/posts/2025_03_11-api_pagination_limits/; message as quoted
 * from that post in a community research note).
 */
import type { Request } from 'express';
import { SevdeskHttpError } from './validation';

export const defaultListLimit = 100;
export const maxListLimit = 1000;

export function page<T>(req: Request, items: T[]): T[] {
  const { limit: rawLimit, offset: rawOffset } = req.query;
  let limit = defaultListLimit;
  if (rawLimit !== undefined) {
    const text = String(rawLimit);
    limit = Number(text);
    if (!/^\d+$/.test(text) || limit < 1 || limit > maxListLimit) {
      throw new SevdeskHttpError(400, `Invalid 'limit' parameter. Please provide an integer value between 1 and ${maxListLimit}.`);
    }
  }
  const offset = /^\d+$/.test(String(rawOffset ?? '')) ? Number(rawOffset) : 0;
  return items.slice(offset, offset + limit);
}
