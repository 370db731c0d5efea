import { describe, expect, it } from 'vitest';
import { ChangesQuery, CreateDocumentRequest, ShareRequest } from './api.ts';

describe('API schemas', () => {
  it('trims a document title and writes it in NFC', () => {
    const nfd = '  Quyết định  '.normalize('NFD');
    const parsed = CreateDocumentRequest.parse({ title: nfd, type: 'QĐ' });
    expect(parsed.title).toBe('Quyết định'.normalize('NFC'));
  });

  it('lower-cases a client-chosen id', () => {
    const id = '0B7E5C58-3F1A-4C2D-9E8B-7A6F5D4C3B2A';
    expect(CreateDocumentRequest.parse({ id, title: 't', type: 'CV' }).id).toBe(id.toLowerCase());
  });

  it('accepts a user principal only with a UUID, an agency principal with its code', () => {
    expect(ShareRequest.safeParse({ principal: { type: 'user', id: 'an.nguyen' }, role: 'viewer' }).success).toBe(false);
    expect(ShareRequest.safeParse({ principal: { type: 'agency', id: 'ubnd-yenhoa' }, role: 'viewer' }).success).toBe(true);
    expect(ShareRequest.safeParse({ principal: { type: 'agency', id: 'ubnd-yenhoa' }, role: 'owner' }).success).toBe(false);
  });

  it('reads change-feed cursors as non-negative integers only', () => {
    expect(ChangesQuery.parse({ since: '42' })).toEqual({ since: 42 });
    expect(ChangesQuery.parse({})).toEqual({});
    for (const since of ['-1', '1e3', '0x10', ' 1', '']) expect(ChangesQuery.safeParse({ since }).success, since).toBe(false);
  });
});
