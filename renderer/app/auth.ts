/**
 * The signed-in session on this device: the token and the user, kept in localStorage so the app
 * opens offline after a restart. The token is a bearer token of limited life (CONTRACT.md); an
 * expired one is noticed by the server's 401 / close code 4401 and leads back to the login form,
 * with everything local kept.
 */
import { z } from 'zod';
import { User } from '../../common/api.ts';

const STORAGE_KEY = 'congvu.session';

const StoredSession = z.object({ token: z.string().min(1), user: User, expiresAt: z.string().optional() });
export type StoredSession = z.infer<typeof StoredSession>;

export function loadSession(): StoredSession | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = StoredSession.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveSession(session: StoredSession): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(STORAGE_KEY);
}
