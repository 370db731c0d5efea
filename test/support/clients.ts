/**
 * Clients for integration tests: the HTTP API through fetch, and the stock y-websocket client
 * exactly as an app would use it (with `disableBc`, so clients in one process cannot sync
 * through BroadcastChannel behind the server's back).
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export const DEMO_PASSWORD = 'congvu-demo';

export interface Session {
  readonly token: string;
  readonly user: { readonly id: string; readonly username: string; readonly agencyId: string; readonly displayName: string };
}

export async function api<T = unknown>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(base + path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function login(base: string, username: string): Promise<Session> {
  const { status, body } = await api<Session>(base, 'POST', '/api/auth/login', { username, password: DEMO_PASSWORD });
  if (status !== 200) throw new Error(`login ${username} failed with ${status}`);
  return body;
}

export async function createDocument(base: string, session: Session, title = 'Công văn thử nghiệm'): Promise<string> {
  const id = randomUUID();
  const { status } = await api(base, 'POST', '/api/documents', { id, title, type: 'CV' }, session.token);
  if (status !== 201) throw new Error(`create document failed with ${status}`);
  return id;
}

export async function share(
  base: string,
  owner: Session,
  documentId: string,
  principal: { type: 'user' | 'agency'; id: string },
  role: 'viewer' | 'commenter' | 'editor',
): Promise<void> {
  const { status } = await api(base, 'POST', `/api/documents/${documentId}/shares`, { principal, role }, owner.token);
  if (status !== 200) throw new Error(`share failed with ${status}`);
}

export function connect(wsUrl: string, room: string, token: string, doc: Y.Doc = new Y.Doc()): WebsocketProvider {
  return new WebsocketProvider(wsUrl, room, doc, {
    params: { token },
    disableBc: true,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    maxBackoffTime: 300,
  });
}

export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function synced(provider: WebsocketProvider): Promise<void> {
  return waitFor(() => provider.synced, 'provider synced');
}

/** Opens a raw WebSocket to a room; resolves once open, rejects with the HTTP status if refused. */
export function rawSocket(wsUrl: string, room: string, token: string | null): Promise<WebSocket> {
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  const ws = new WebSocket(`${wsUrl}/${encodeURIComponent(room)}${query}`);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve({ code: -1, reason: 'already closed' });
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** The text a fresh client sees in the room, read through the server. */
export async function readRoom(wsUrl: string, room: string, token: string, field = 'text'): Promise<string> {
  const provider = connect(wsUrl, room, token);
  try {
    await synced(provider);
    return provider.doc.getText(field).toString();
  } finally {
    provider.destroy();
  }
}
