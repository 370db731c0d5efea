import { describe, expect, it } from 'vitest';
import { servesServiceWorker } from './register-sw.ts';

describe('service worker registration', () => {
  it('happens on http(s) pages and on the desktop app’s own scheme', () => {
    expect(servesServiceWorker('http:')).toBe(true);
    expect(servesServiceWorker('https:')).toBe(true);
    expect(servesServiceWorker('congvu-app:')).toBe(true);
  });

  it('does not happen for files or other schemes', () => {
    expect(servesServiceWorker('file:')).toBe(false);
    expect(servesServiceWorker('congvu:')).toBe(false);
    expect(servesServiceWorker('data:')).toBe(false);
  });
});
