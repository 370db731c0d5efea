import { describe, expect, it } from 'vitest';
import type { User } from '../../common/api.ts';
import { chainIssue, eligibleAssignees, proposeChain, toChain } from './chain.ts';

const user = (id: string, displayName: string, roles: string[], unit = 'Phòng Bưu chính - Viễn thông', agencyId = 'stttt-ninhbinh'): User => ({
  id,
  username: id,
  displayName,
  agencyId,
  unit,
  title: '',
  roles,
});

const an = user('00000000-0000-4000-8000-00000000000a', 'Nguyễn Văn An', ['drafter']);
const binh = user('00000000-0000-4000-8000-00000000000b', 'Trần Thị Bình', ['head_of_unit']);
const cuong = user('00000000-0000-4000-8000-00000000000c', 'Phạm Quốc Cường', ['leader'], 'Ban Giám đốc');
const chi = user('00000000-0000-4000-8000-00000000000d', 'Lê Minh Chi', ['clerk'], 'Văn phòng');
const admin = user('00000000-0000-4000-8000-00000000000e', 'Quản trị hệ thống', ['admin'], '');
const dung = user('00000000-0000-4000-8000-00000000000f', 'Vũ Thị Dung', [], 'Văn phòng', 'ubnd-yenhoa');
const USERS = [an, binh, cuong, chi, admin, dung];

describe('the submit dialog’s chain', () => {
  it('offers the people of the document’s agency, without the system administrator or other agencies', () => {
    expect(eligibleAssignees(USERS, 'stttt-ninhbinh').map((u) => u.displayName)).toEqual(['Lê Minh Chi', 'Nguyễn Văn An', 'Phạm Quốc Cường', 'Trần Thị Bình']);
  });

  it('proposes a check by the head of the drafter’s unit and the leader’s signature, and sends them in order', () => {
    const draft = proposeChain(USERS, an, 'stttt-ninhbinh');
    expect(draft).toEqual({ checks: [binh.id], approvals: [], signer: cuong.id, authority: null });
    expect(chainIssue(draft)).toBeNull();
    expect(toChain({ ...draft, approvals: [cuong.id], authority: 'KT.' })).toEqual([
      { kind: 'check', assigneeId: binh.id, authority: null },
      { kind: 'approve', assigneeId: cuong.id, authority: null },
      { kind: 'sign', assigneeId: cuong.id, authority: 'KT.' },
    ]);
  });

  it('names what is missing before anything is sent: a person, the signer, or too many steps', () => {
    expect(chainIssue({ checks: [''], approvals: [], signer: cuong.id, authority: null })).toBe('missing_person');
    expect(chainIssue({ checks: [binh.id], approvals: [], signer: '', authority: null })).toBe('missing_signer');
    expect(chainIssue({ checks: Array(6).fill(binh.id), approvals: Array(4).fill(cuong.id), signer: cuong.id, authority: null })).toBe('too_many_steps');
    expect(chainIssue({ checks: [], approvals: [], signer: cuong.id, authority: 'TL.' })).toBeNull();
  });

  it('guesses nobody when no role says who checks or signs', () => {
    expect(proposeChain([an, chi], an, 'stttt-ninhbinh')).toEqual({ checks: [], approvals: [], signer: '', authority: null });
  });
});
