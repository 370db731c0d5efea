/**
 * What the "Chia sẻ" dialog shows, computed from the directory and the document's shares: the
 * people and agencies who have access (named from the directory, sorted the Vietnamese way), and
 * whom the owner can still add (every agency of the directory, other agencies included, each as a
 * whole and user by user), filtered by what was typed with or without diacritics.
 */
import type { Agency, DirectoryResponse, Principal, Share, User } from '../../../common/api.ts';

export type ShareRole = Share['role'];
export const SHARE_ROLES: readonly ShareRole[] = ['viewer', 'commenter', 'editor'];

export function principalKey(principal: Principal): string {
  return `${principal.type}:${principal.id}`;
}

export function samePrincipal(a: Principal, b: Principal): boolean {
  return a.type === b.type && a.id === b.id;
}

const collator = new Intl.Collator('vi', { sensitivity: 'base' });

/**
 * Lower case, without diacritics, đ as d, in NFC: "Vũ Thị Dung", "vu thi dung" and "VŨ THỊ DŨNG"
 * compare alike, as officials often type names without their tones.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLocaleLowerCase('vi')
    .normalize('NFC');
}

/** "Văn phòng, công chức": a user's unit and title, as far as they are known. */
export function userDetail(user: Pick<User, 'unit' | 'title'>): string {
  return [user.unit, user.title].filter((part) => part.trim() !== '').join(', ');
}

export interface ShareRow {
  readonly key: string;
  readonly principal: Principal;
  readonly role: ShareRole;
  /** The user's name or the agency's; null when the directory does not know it (any more). */
  readonly name: string | null;
  /** For a user: unit, title and agency; for an agency: nothing. */
  readonly detail: string;
}

/** The shares as rows: whole agencies first, then users, each by name in Vietnamese order. */
export function shareRows(shares: readonly Share[], directory: DirectoryResponse | undefined): ShareRow[] {
  const users = new Map((directory?.users ?? []).map((u) => [u.id, u]));
  const agencies = new Map((directory?.agencies ?? []).map((a) => [a.id, a]));
  const rows = shares.map((share): ShareRow => {
    const { principal } = share;
    if (principal.type === 'agency') {
      return { key: principalKey(principal), principal, role: share.role, name: agencies.get(principal.id)?.name ?? null, detail: '' };
    }
    const user = users.get(principal.id);
    const agency = user ? agencies.get(user.agencyId)?.name : undefined;
    const detail = user ? [userDetail(user), agency].filter(Boolean).join(' · ') : '';
    return { key: principalKey(principal), principal, role: share.role, name: user?.displayName ?? null, detail };
  });
  return rows.sort((a, b) => {
    if (a.principal.type !== b.principal.type) return a.principal.type === 'agency' ? -1 : 1;
    return collator.compare(a.name ?? a.principal.id, b.name ?? b.principal.id);
  });
}

export interface Candidate {
  readonly key: string;
  readonly principal: Principal;
  /** For a user: the name; for an agency: its name (the UI says "whole agency"). */
  readonly name: string;
  readonly detail: string;
}

export interface CandidateGroup {
  readonly agency: Agency;
  /** The agency as a whole first (when it matches), then its users by name. */
  readonly candidates: readonly Candidate[];
}

/**
 * Whom the owner may still share with: every agency and user of the directory except the owner
 * and those already holding a share, grouped by agency (the owner's own agency first, then the
 * others by name), keeping only entries that match `query` in name, unit, title, username or
 * agency name.
 */
export function candidateGroups(
  directory: DirectoryResponse | undefined,
  shares: readonly Share[],
  me: Pick<User, 'id' | 'agencyId'>,
  query: string,
): CandidateGroup[] {
  if (!directory) return [];
  const taken = new Set(shares.map((s) => principalKey(s.principal)));
  const needle = foldForSearch(query.trim());
  const matches = (...texts: string[]) => needle === '' || texts.some((text) => foldForSearch(text).includes(needle));
  const agencies = [...directory.agencies].sort((a, b) => {
    if ((a.id === me.agencyId) !== (b.id === me.agencyId)) return a.id === me.agencyId ? -1 : 1;
    return collator.compare(a.name, b.name);
  });
  const groups: CandidateGroup[] = [];
  for (const agency of agencies) {
    const candidates: Candidate[] = [];
    const agencyPrincipal: Principal = { type: 'agency', id: agency.id };
    const agencyMatches = matches(agency.name, agency.abbreviation);
    if (!taken.has(principalKey(agencyPrincipal)) && agencyMatches) {
      candidates.push({ key: principalKey(agencyPrincipal), principal: agencyPrincipal, name: agency.name, detail: '' });
    }
    const users = directory.users
      .filter((u) => u.agencyId === agency.id && u.id !== me.id && !taken.has(principalKey({ type: 'user', id: u.id })))
      .filter((u) => agencyMatches || matches(u.displayName, u.username, u.unit, u.title))
      .sort((a, b) => collator.compare(a.displayName, b.displayName));
    for (const user of users) {
      const principal: Principal = { type: 'user', id: user.id };
      candidates.push({ key: principalKey(principal), principal, name: user.displayName, detail: userDetail(user) });
    }
    if (candidates.length > 0) groups.push({ agency, candidates });
  }
  return groups;
}

/** The display name of a principal, for messages ("Đã chia sẻ với …"). */
export function principalName(principal: Principal, directory: DirectoryResponse | undefined): string | null {
  if (principal.type === 'agency') return directory?.agencies.find((a) => a.id === principal.id)?.name ?? null;
  return directory?.users.find((u) => u.id === principal.id)?.displayName ?? null;
}
