/** Calendar arithmetic the date formats of vi.ts and en.ts share (local time, as users read dates). */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole calendar days from `d` to `now`: 0 the same day, 1 for yesterday, negative in the future. */
export function calendarDaysBetween(d: Date, now: Date): number {
  const start = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  const end = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((end - start) / DAY_MS);
}
