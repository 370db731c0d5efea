import { describe, expect, it } from 'vitest';
import type { DirectoryResponse, Share } from '../../../common/api.ts';
import { candidateGroups, foldForSearch, principalName, shareRows } from './share-list.ts';

const AN = '11111111-1111-4111-8111-111111111111';
const BINH = '22222222-2222-4222-8222-222222222222';
const CUONG = '33333333-3333-4333-8333-333333333333';
const DUNG = '44444444-4444-4444-8444-444444444444';

const directory: DirectoryResponse = {
  agencies: [
    { id: 'ubnd-yenhoa', name: 'Ủy ban nhân dân xã Yên Hòa', abbreviation: 'UBND', parentId: null },
    { id: 'stttt-ninhbinh', name: 'Sở Thông tin và Truyền thông tỉnh Ninh Bình', abbreviation: 'STTTT', parentId: 'ubnd-ninhbinh' },
    { id: 'ubnd-ninhbinh', name: 'Ủy ban nhân dân tỉnh Ninh Bình', abbreviation: 'UBND', parentId: null },
  ],
  users: [
    { id: AN, username: 'an.nguyen', displayName: 'Nguyễn Văn An', agencyId: 'stttt-ninhbinh', unit: 'Phòng Bưu chính - Viễn thông', title: 'chuyên viên', roles: [] },
    { id: CUONG, username: 'cuong.pham', displayName: 'Phạm Quốc Cường', agencyId: 'stttt-ninhbinh', unit: 'Ban Giám đốc', title: 'giám đốc', roles: [] },
    { id: BINH, username: 'binh.tran', displayName: 'Trần Thị Bình', agencyId: 'stttt-ninhbinh', unit: 'Phòng Bưu chính - Viễn thông', title: 'trưởng phòng', roles: [] },
    { id: DUNG, username: 'dung.vu', displayName: 'Vũ Thị Dung', agencyId: 'ubnd-yenhoa', unit: 'Văn phòng', title: 'công chức', roles: [] },
  ],
};
const me = { id: AN, agencyId: 'stttt-ninhbinh' };

describe('the share list', () => {
  it('names shares from the directory, whole agencies first, then people in Vietnamese order', () => {
    const shares: Share[] = [
      { principal: { type: 'user', id: DUNG }, role: 'viewer' },
      { principal: { type: 'user', id: BINH }, role: 'editor' },
      { principal: { type: 'agency', id: 'ubnd-yenhoa' }, role: 'commenter' },
    ];
    expect(shareRows(shares, directory).map((r) => [r.name, r.role, r.detail])).toEqual([
      ['Ủy ban nhân dân xã Yên Hòa', 'commenter', ''],
      ['Trần Thị Bình', 'editor', 'Phòng Bưu chính - Viễn thông, trưởng phòng · Sở Thông tin và Truyền thông tỉnh Ninh Bình'],
      ['Vũ Thị Dung', 'viewer', 'Văn phòng, công chức · Ủy ban nhân dân xã Yên Hòa'],
    ]);
  });

  it('keeps a share whose principal left the directory, without a name', () => {
    const gone = '55555555-5555-4555-8555-555555555555';
    expect(shareRows([{ principal: { type: 'user', id: gone }, role: 'viewer' }], directory)).toEqual([
      { key: `user:${gone}`, principal: { type: 'user', id: gone }, role: 'viewer', name: null, detail: '' },
    ]);
  });
});

describe('whom the owner can add', () => {
  it('offers every agency of the directory, other agencies included, own agency first, without the owner', () => {
    const groups = candidateGroups(directory, [], me, '');
    expect(groups.map((g) => g.agency.id)).toEqual(['stttt-ninhbinh', 'ubnd-ninhbinh', 'ubnd-yenhoa']);
    expect(groups[0].candidates.map((c) => c.name)).toEqual(['Sở Thông tin và Truyền thông tỉnh Ninh Bình', 'Phạm Quốc Cường', 'Trần Thị Bình']);
    expect(groups[2].candidates.map((c) => [c.principal, c.detail])).toEqual([
      [{ type: 'agency', id: 'ubnd-yenhoa' }, ''],
      [{ type: 'user', id: DUNG }, 'Văn phòng, công chức'],
    ]);
  });

  it('leaves out whoever already holds a share', () => {
    const shares: Share[] = [
      { principal: { type: 'user', id: DUNG }, role: 'viewer' },
      { principal: { type: 'agency', id: 'ubnd-ninhbinh' }, role: 'viewer' },
    ];
    const groups = candidateGroups(directory, shares, me, '');
    expect(groups.map((g) => g.agency.id)).toEqual(['stttt-ninhbinh', 'ubnd-yenhoa']);
    expect(groups[1].candidates.map((c) => c.principal.type)).toEqual(['agency']);
  });

  it('finds people typed without diacritics, by unit, title or username', () => {
    const names = (query: string) => candidateGroups(directory, [], me, query).flatMap((g) => g.candidates.map((c) => c.name));
    expect(names('vu thi dung')).toEqual(['Vũ Thị Dung']);
    expect(names('VŨ THỊ')).toEqual(['Vũ Thị Dung']);
    expect(names('dung')).toEqual(['Vũ Thị Dung']);
    expect(names('giam doc')).toEqual(['Phạm Quốc Cường']);
    expect(names('binh.tran')).toEqual(['Trần Thị Bình']);
    expect(names('nobody')).toEqual([]);
  });

  it('lists an agency’s people when the agency’s name matches', () => {
    const groups = candidateGroups(directory, [], me, 'Yên Hòa');
    expect(groups.flatMap((g) => g.candidates.map((c) => c.name))).toEqual(['Ủy ban nhân dân xã Yên Hòa', 'Vũ Thị Dung']);
  });

  it('offers nothing before the directory has been loaded', () => {
    expect(candidateGroups(undefined, [], me, '')).toEqual([]);
  });
});

describe('names and search', () => {
  it('folds Vietnamese for search: tones, đ and case', () => {
    expect(foldForSearch('Đặng Thị Hồng Nhung')).toBe('dang thi hong nhung');
    expect(foldForSearch('Ủy ban nhân dân')).toBe(foldForSearch('uy ban nhan dan'));
    // NFD input (some input methods) folds the same as NFC.
    expect(foldForSearch('Vũ'.normalize('NFD'))).toBe('vu');
  });

  it('names users and agencies for messages', () => {
    expect(principalName({ type: 'user', id: DUNG }, directory)).toBe('Vũ Thị Dung');
    expect(principalName({ type: 'agency', id: 'ubnd-yenhoa' }, directory)).toBe('Ủy ban nhân dân xã Yên Hòa');
    expect(principalName({ type: 'agency', id: 'x' }, directory)).toBeNull();
  });
});
