import { describe, expect, it } from 'vitest';
import { canWriteRoom, NO_PROCEDURE_ACCESS, parseRoom, resolveDocumentRole, roomName } from './access.ts';

const doc = { ownerId: 'an', status: 'draft' };
const an = { id: 'an', agencyId: 'stttt' };
const binh = { id: 'binh', agencyId: 'stttt' };
const dung = { id: 'dung', agencyId: 'yenhoa' };

describe('resolveDocumentRole', () => {
  it('gives the owner the owner role and nobody else anything without a share', () => {
    expect(resolveDocumentRole(doc, an, [])).toBe('owner');
    expect(resolveDocumentRole(doc, binh, [])).toBeNull();
  });

  it('takes the strongest of the user and agency shares that apply', () => {
    const shares = [
      { principalType: 'agency', principalId: 'stttt', role: 'viewer' },
      { principalType: 'user', principalId: 'binh', role: 'editor' },
    ] as const;
    expect(resolveDocumentRole(doc, binh, shares)).toBe('editor');
    expect(resolveDocumentRole(doc, { id: 'chi', agencyId: 'stttt' }, shares)).toBe('viewer');
    expect(resolveDocumentRole(doc, dung, shares)).toBeNull();
  });
});

describe('access through the approval procedure', () => {
  const reviewer = { ...NO_PROCEDURE_ACCESS, reviewsOpenRound: true, tookPart: true };
  const former = { ...NO_PROCEDURE_ACCESS, tookPart: true };
  const clerk = { ...NO_PROCEDURE_ACCESS, clerkOfAgency: true };

  it('lets the assignees of the open round comment, and those of earlier rounds read', () => {
    const inReview = { ownerId: 'an', status: 'in_review' };
    expect(resolveDocumentRole(inReview, binh, [], reviewer)).toBe('commenter');
    expect(resolveDocumentRole(inReview, binh, [], former)).toBe('viewer');
    expect(resolveDocumentRole(inReview, binh, [], NO_PROCEDURE_ACCESS)).toBeNull();
  });

  it('lets a clerk of the agency read a document once it is approved, not before', () => {
    for (const status of ['draft', 'in_review', 'returned']) expect(resolveDocumentRole({ ownerId: 'an', status }, binh, [], clerk)).toBeNull();
    for (const status of ['approved', 'issued']) expect(resolveDocumentRole({ ownerId: 'an', status }, binh, [], clerk)).toBe('viewer');
  });

  it('keeps the stronger of a share and the procedure', () => {
    const shares = [{ principalType: 'user', principalId: 'binh', role: 'editor' }] as const;
    expect(resolveDocumentRole({ ownerId: 'an', status: 'in_review' }, binh, shares, reviewer)).toBe('editor');
    expect(resolveDocumentRole({ ownerId: 'an', status: 'in_review' }, an, [], NO_PROCEDURE_ACCESS)).toBe('owner');
  });
});

describe('rooms', () => {
  const id = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
  it('parses the three room kinds and nothing else', () => {
    expect(parseRoom(`doc:${id}`)).toEqual({ kind: 'doc', documentId: id });
    expect(parseRoom(`doc:${id}:comments`)).toEqual({ kind: 'comments', documentId: id });
    expect(parseRoom(`board:${id}`)).toEqual({ kind: 'board', boardId: id });
    for (const bad of ['doc:', `doc:${id}:x`, `board:${id}:comments`, `DOC:${id}`, `doc:${id.toUpperCase()}`, '../etc']) {
      expect(parseRoom(bad)).toBeNull();
    }
    expect(roomName(parseRoom(`doc:${id}:comments`)!)).toBe(`doc:${id}:comments`);
  });

  it('lets editors write content, commenters only comments, and nobody an issued document', () => {
    const content = { kind: 'doc', documentId: id } as const;
    const comments = { kind: 'comments', documentId: id } as const;
    expect(canWriteRoom(content, 'editor', 'draft')).toBe(true);
    expect(canWriteRoom(content, 'commenter', 'draft')).toBe(false);
    expect(canWriteRoom(comments, 'commenter', 'draft')).toBe(true);
    expect(canWriteRoom(content, 'viewer', 'draft')).toBe(false);
    expect(canWriteRoom(content, 'owner', 'issued')).toBe(false);
  });

  it('freezes the content from submission until it is returned, while comments stay open until issue', () => {
    const content = { kind: 'doc', documentId: id } as const;
    const comments = { kind: 'comments', documentId: id } as const;
    for (const status of ['in_review', 'approved', 'issued']) expect(canWriteRoom(content, 'owner', status)).toBe(false);
    for (const status of ['draft', 'returned']) expect(canWriteRoom(content, 'owner', status)).toBe(true);
    for (const status of ['in_review', 'approved']) expect(canWriteRoom(comments, 'commenter', status)).toBe(true);
    expect(canWriteRoom(comments, 'owner', 'issued')).toBe(false);
  });
});
