/**
 * Who can be assigned a board's tasks and how people are named: the owner, the user members, and
 * the users of member agencies, from the directory kept on this device (so it works offline).
 */
import type { BoardMember, DirectoryResponse, User } from '../../common/api.ts';

export function boardPeople(ownerId: string, members: readonly BoardMember[] | undefined, directory: DirectoryResponse | undefined, me: User): User[] {
  const users = directory?.users ?? [me];
  const userIds = new Set([ownerId, me.id]);
  const agencies = new Set<string>();
  for (const member of members ?? []) {
    if (member.principal.type === 'user') userIds.add(member.principal.id);
    else agencies.add(member.principal.id);
  }
  const people = users.filter((u) => userIds.has(u.id) || agencies.has(u.agencyId));
  if (!people.some((u) => u.id === me.id)) people.push(me);
  return people.sort((a, b) => a.displayName.localeCompare(b.displayName, 'vi'));
}

/** A user's display name, or a short id for someone not in the directory (yet). */
export function nameIn(directory: DirectoryResponse | undefined, me: User): (userId: string) => string {
  const names = new Map((directory?.users ?? []).map((u) => [u.id, u.displayName]));
  names.set(me.id, me.displayName);
  return (userId) => names.get(userId) ?? userId.slice(0, 8);
}

/** Initials for an avatar: "Nguyễn Văn An" → "NA". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = words[0][0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1][0] ?? '') : '';
  return (first + last).toLocaleUpperCase('vi');
}
