/**
 * The audit log's hash chain (DESIGN.md: "each entry carries the hash of the previous one, so
 * tampering is detectable"). An entry's hash is SHA-256 over the previous entry's hash followed by
 * the canonical JSON of the entry's own fields; its details are stored as that same canonical text.
 * Changing any stored field of an entry breaks its hash; rewriting the hash too breaks the next
 * entry's link; deleting an entry leaves a gap in the sequence. Only truncating the tail leaves a
 * valid chain, which is why verification reports the head hash, for comparison with one kept
 * elsewhere.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, type JsonValue } from '../../common/canonical-json.ts';
import type { AuditBreak, AuditDetails, AuditEntry, AuditEvent } from './store.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** The stored text of an entry's details. */
export function detailsText(details: AuditDetails): string {
  return canonicalJson(details);
}

/** The text hashed for an entry, after the previous hash. */
export function entryText(seq: number, event: AuditEvent): string {
  return canonicalJson({
    seq,
    at: event.at,
    actorId: event.actorId,
    action: event.action,
    documentId: event.documentId,
    details: event.details as JsonValue,
  });
}

export function entryHash(prevHash: string, seq: number, event: AuditEvent): string {
  return createHash('sha256').update(prevHash, 'utf8').update(entryText(seq, event), 'utf8').digest('hex');
}

/** An audit row as stored, before its details are parsed. */
export interface StoredAuditRow {
  readonly seq: number;
  readonly at: string;
  readonly actorId: string | null;
  readonly action: string;
  readonly documentId: string | null;
  readonly details: string;
  readonly prevHash: string;
  readonly hash: string;
}

export type ChainCheck =
  | { readonly ok: true; readonly entry: AuditEntry }
  | { readonly ok: false; readonly reason: AuditBreak; readonly message: string };

/** Checks one stored row against the one before it (its seq and hash). */
export function checkRow(row: StoredAuditRow, previous: { readonly seq: number; readonly hash: string }): ChainCheck {
  if (row.seq !== previous.seq + 1) {
    return { ok: false, reason: 'sequence_gap', message: `entry ${row.seq} follows entry ${previous.seq}: entries are missing` };
  }
  if (row.prevHash !== previous.hash) {
    return { ok: false, reason: 'broken_link', message: `entry ${row.seq} does not carry the hash of the entry before it` };
  }
  let details: unknown;
  try {
    details = JSON.parse(row.details);
  } catch {
    return { ok: false, reason: 'malformed', message: `entry ${row.seq} has details that are not JSON` };
  }
  if (typeof details !== 'object' || details === null || Array.isArray(details) || detailsText(details as AuditDetails) !== row.details) {
    return { ok: false, reason: 'malformed', message: `entry ${row.seq} has details that are not in canonical form` };
  }
  const entry: AuditEntry = {
    seq: row.seq,
    at: row.at,
    actorId: row.actorId,
    action: row.action as AuditEntry['action'],
    documentId: row.documentId,
    details: details as AuditDetails,
    prevHash: row.prevHash,
    hash: row.hash,
  };
  if (entryHash(row.prevHash, row.seq, entry) !== row.hash) {
    return { ok: false, reason: 'hash_mismatch', message: `entry ${row.seq} was changed after it was written` };
  }
  return { ok: true, entry };
}
