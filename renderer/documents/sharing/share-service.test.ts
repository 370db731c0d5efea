import { describe, expect, it, vi } from 'vitest';
import type { Principal, Share, SharesResponse } from '../../../common/api.ts';
import type { ApiClient, ApiResult } from '../../api/client.ts';
import { lastKnownShares, PROBE_PRINCIPAL, putShare, readShares, removeShare } from './share-service.ts';

const DOC = '0b8f8d3e-52a4-4c57-9d6a-3c1f3d0e9a11';
const DUNG: Principal = { type: 'user', id: '44444444-4444-4444-8444-444444444444' };
const SHARES: Share[] = [{ principal: DUNG, role: 'viewer' }];

const answer = (shares: readonly Share[]): Promise<ApiResult<SharesResponse>> => Promise.resolve({ ok: true, value: { shares: [...shares] } });
const httpError = (status: number, code: 'method_not_allowed' | 'forbidden' | 'not_found'): Promise<ApiResult<SharesResponse>> =>
  Promise.resolve({ ok: false, error: { kind: 'http', status, code, message: code } });

function fakeApi(overrides: Partial<Pick<ApiClient, 'listShares' | 'putShare' | 'deleteShare'>> = {}) {
  return {
    listShares: vi.fn<ApiClient['listShares']>(() => answer(SHARES)),
    putShare: vi.fn<ApiClient['putShare']>(() => answer(SHARES)),
    deleteShare: vi.fn<ApiClient['deleteShare']>(() => answer([])),
    ...overrides,
  };
}

describe('reading a document’s shares', () => {
  it('uses the list the server gives', async () => {
    const api = fakeApi();
    expect(await readShares(api, DOC, false)).toEqual({ ok: true, value: { kind: 'full', shares: SHARES } });
    expect(api.deleteShare).not.toHaveBeenCalled();
  });

  it('lets the owner read the list through a removal of nobody when the server has no list call', async () => {
    const api = fakeApi({ listShares: vi.fn(() => httpError(405, 'method_not_allowed')), deleteShare: vi.fn(() => answer(SHARES)) });
    expect(await readShares(api, DOC, true)).toEqual({ ok: true, value: { kind: 'full', shares: SHARES } });
    expect(api.deleteShare).toHaveBeenCalledWith(DOC, PROBE_PRINCIPAL);
    expect(PROBE_PRINCIPAL).toEqual({ type: 'user', id: '00000000-0000-0000-0000-000000000000' });
    // The server's answer is kept: the list call is not tried again.
    await readShares(api, DOC, true);
    expect(api.listShares).toHaveBeenCalledOnce();
    expect(api.deleteShare).toHaveBeenCalledTimes(2);
  });

  it('tells others than the owner that only part of the list is known, and changes nothing', async () => {
    const api = fakeApi({ listShares: vi.fn(() => httpError(405, 'method_not_allowed')) });
    expect(await readShares(api, DOC, false)).toEqual({ ok: true, value: { kind: 'partial' } });
    expect(api.deleteShare).not.toHaveBeenCalled();
  });

  it('reports being offline, and other refusals, as failures', async () => {
    const offline = fakeApi({ listShares: vi.fn(() => Promise.resolve({ ok: false as const, error: { kind: 'network' as const } })) });
    expect(await readShares(offline, DOC, true)).toEqual({ ok: false, error: { kind: 'network' } });
    expect(offline.deleteShare).not.toHaveBeenCalled();
    const missing = fakeApi({ listShares: vi.fn(() => httpError(404, 'not_found')) });
    expect(await readShares(missing, DOC, true)).toMatchObject({ ok: false, error: { status: 404 } });
  });
});

describe('changing shares', () => {
  it('adds or changes a role and removes a share, remembering the server’s answer for offline display', async () => {
    const api = fakeApi({ putShare: vi.fn(() => answer([{ principal: DUNG, role: 'editor' }])) });
    expect(lastKnownShares(api, DOC)).toBeUndefined();
    await putShare(api, DOC, { principal: DUNG, role: 'editor' });
    expect(api.putShare).toHaveBeenCalledWith(DOC, { principal: DUNG, role: 'editor' });
    expect(lastKnownShares(api, DOC)).toEqual([{ principal: DUNG, role: 'editor' }]);
    expect(await removeShare(api, DOC, DUNG)).toEqual({ ok: true, value: { kind: 'full', shares: [] } });
    expect(api.deleteShare).toHaveBeenCalledWith(DOC, DUNG);
    expect(lastKnownShares(api, DOC)).toEqual([]);
  });

  it('keeps what each signed-in workspace last saw apart', async () => {
    const first = fakeApi();
    const second = fakeApi();
    await readShares(first, DOC, true);
    expect(lastKnownShares(second, DOC)).toBeUndefined();
  });
});
