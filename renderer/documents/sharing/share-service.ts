/**
 * Reading and changing a document's shares through the API, for the "Chia sẻ" dialog.
 *
 * Changes need the server: they are sent at once and never queued offline (docs/client.md,
 * "Sharing"), so what the dialog shows is what the server holds.
 *
 * Reading: `GET /api/documents/:id/shares`, which the server does not have yet (it answers 405).
 * Until it does, the owner's list is read with the one call that answers it without changing
 * anything: removing a share nobody holds (the nil UUID), which the API answers with the current
 * list and neither audits nor announces (docs/decisions.md, "Deleting a share that does not
 * exist"). Others than the owner then see only the owner and their own access.
 */
import type { Principal, Share, ShareRequest } from '../../../common/api.ts';
import type { ApiClient, ApiFailure, ApiResult } from '../../api/client.ts';

/** Nobody holds a share under the nil UUID: removing it changes nothing and answers the list. */
export const PROBE_PRINCIPAL: Principal = { type: 'user', id: '00000000-0000-0000-0000-000000000000' };

export type SharesView =
  /** Everyone who holds a share. */
  | { readonly kind: 'full'; readonly shares: readonly Share[] }
  /** The server does not tell this caller: only the owner and the caller's own role are known. */
  | { readonly kind: 'partial' };

export type ShareFailure = ApiFailure;

type SharesApi = Pick<ApiClient, 'listShares' | 'putShare' | 'deleteShare'>;

/**
 * The last list read or returned per document, shown (marked as such) while offline. Kept per
 * API client, that is per signed-in workspace, and in memory only.
 */
const lastKnown = new WeakMap<SharesApi, Map<string, readonly Share[]>>();

export function lastKnownShares(api: SharesApi, documentId: string): readonly Share[] | undefined {
  return lastKnown.get(api)?.get(documentId);
}

function remember(api: SharesApi, documentId: string, result: ApiResult<{ readonly shares: readonly Share[] }>): ApiResult<SharesView> {
  if (!result.ok) return result;
  let known = lastKnown.get(api);
  if (!known) lastKnown.set(api, (known = new Map()));
  known.set(documentId, result.value.shares);
  return { ok: true, value: { kind: 'full', shares: result.value.shares } };
}

/** API clients whose server answered 405 to the list call: not asked again in this session. */
const withoutListCall = new WeakSet<SharesApi>();

export async function readShares(api: SharesApi, documentId: string, isOwner: boolean): Promise<ApiResult<SharesView>> {
  if (!withoutListCall.has(api)) {
    const listed = await api.listShares(documentId);
    if (listed.ok || listed.error.kind === 'network' || listed.error.status !== 405) return remember(api, documentId, listed);
    withoutListCall.add(api);
  }
  if (!isOwner) return { ok: true, value: { kind: 'partial' } };
  return remember(api, documentId, await api.deleteShare(documentId, PROBE_PRINCIPAL));
}

/** Adds a share or changes its role (the API replaces the role of a principal shared with before). */
export async function putShare(api: SharesApi, documentId: string, request: ShareRequest): Promise<ApiResult<SharesView>> {
  return remember(api, documentId, await api.putShare(documentId, request));
}

export async function removeShare(api: SharesApi, documentId: string, principal: Principal): Promise<ApiResult<SharesView>> {
  return remember(api, documentId, await api.deleteShare(documentId, principal));
}
