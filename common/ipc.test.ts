import { describe, expect, it } from 'vitest';
import { AppLink, appRouteOf, IpcContract, NotificationRequest, SaveFileRequest, ServerUrl, Settings, syncUrlOf } from './ipc.ts';

describe('IPC contract', () => {
  it('puts every call on its own congvu: channel', () => {
    const channels = Object.values(IpcContract).map((call) => call.channel);
    expect(new Set(channels).size).toBe(channels.length);
    for (const channel of channels) expect(channel).toMatch(/^congvu:[a-z-]+$/);
  });

  it('reads a server address as a lower-case origin without a trailing slash', () => {
    expect(ServerUrl.parse('HTTP://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
    expect(ServerUrl.parse('https://congvu.ninhbinh.gov.vn')).toBe('https://congvu.ninhbinh.gov.vn');
    expect(ServerUrl.parse('http://[::1]:8787')).toBe('http://[::1]:8787');
    expect(ServerUrl.parse('http://may-chu')).toBe('http://may-chu');
  });

  it('refuses server addresses with a path, query, credentials, another scheme or a bad port', () => {
    for (const url of ['http://h/api', 'http://h?x', 'http://h#x', 'http://u@h', 'ws://h', 'file:///x', 'javascript:alert(1)', 'http://h:0', 'http://h:65536', 'http://-h', 'http://h_h', 'h:8787', '']) {
      expect(ServerUrl.safeParse(url).success, url).toBe(false);
    }
  });

  it('derives the sync URL from the server address', () => {
    expect(syncUrlOf('http://127.0.0.1:8787')).toBe('ws://127.0.0.1:8787/sync');
    expect(syncUrlOf('https://congvu.example.vn')).toBe('wss://congvu.example.vn/sync');
  });

  it('takes file names, never paths', () => {
    const save = (suggestedName: string) => SaveFileRequest.safeParse({ suggestedName, content: 'x' }).success;
    expect(save('Quyết định 12-QĐ-UBND.docx')).toBe(true);
    for (const name of ['../x.txt', 'a/b.txt', 'a\\b.txt', 'C:x.txt', '..', '.', '', 'a\u0000b', 'x'.repeat(201)]) expect(save(name), name).toBe(false);
  });

  it('takes text or bytes as file content, and nothing else', () => {
    const parse = (content: unknown) => SaveFileRequest.safeParse({ suggestedName: 'a.txt', content }).success;
    expect(parse('văn bản')).toBe(true);
    expect(parse(new Uint8Array([1, 2, 3]))).toBe(true);
    expect(parse({ length: 3 })).toBe(false);
    expect(parse([1, 2, 3])).toBe(false);
    expect(SaveFileRequest.safeParse({ suggestedName: 'a.txt', content: 'x', filters: [{ name: 'Word', extensions: ['docx'] }] }).success).toBe(true);
    expect(SaveFileRequest.safeParse({ suggestedName: 'a.txt', content: 'x', filters: [{ name: 'x', extensions: ['*'] }] }).success).toBe(false);
  });

  it('gives notifications an empty body by default and checks their link', () => {
    expect(NotificationRequest.parse({ title: 'Có văn bản chờ duyệt' })).toEqual({ title: 'Có văn bản chờ duyệt', body: '' });
    expect(NotificationRequest.safeParse({ title: 't', link: { kind: 'document', documentId: 'x' } }).success).toBe(false);
    expect(NotificationRequest.safeParse({ title: '' }).success).toBe(false);
  });

  it('maps links to the routes of the web app', () => {
    expect(appRouteOf(AppLink.parse({ kind: 'document', documentId: '0B7E5C58-3F1A-4C2D-9E8B-7A6F5D4C3B2A' }))).toBe('/documents/0b7e5c58-3f1a-4c2d-9e8b-7a6f5d4c3b2a');
    expect(appRouteOf({ kind: 'page', page: 'approvals' })).toBe('/approvals');
    expect(AppLink.safeParse({ kind: 'page', page: 'admin' }).success).toBe(false);
    expect(AppLink.safeParse({ kind: 'page', page: 'tasks', extra: 1 }).success).toBe(false);
  });

  it('accepts settings with a server address only', () => {
    expect(Settings.parse({ serverUrl: 'http://10.0.0.5:8787/' })).toEqual({ serverUrl: 'http://10.0.0.5:8787' });
    expect(Settings.safeParse({ serverUrl: 'http://10.0.0.5', theme: 'dark' }).success).toBe(false);
  });
});
