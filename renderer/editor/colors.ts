/**
 * Presence colours: one per user, the same on every screen (derived from the user id), dark
 * enough for white text and a readable caret on white paper.
 */
const PALETTE = ['#b42318', '#175cd3', '#067647', '#9e4a03', '#6941c6', '#c11574', '#0e7090', '#4e5ba6'];

export function colorForUser(userId: string): string {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}
