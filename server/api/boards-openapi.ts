/**
 * The OpenAPI entries of the task-board routes (server/api/boards.ts), kept beside them and merged
 * into /api/openapi.json by openapi.ts, with the zod schemas they reference.
 */
import type { z } from 'zod';
import { BoardMember, BoardMemberRequest, BoardMembersResponse, BoardRecord, BoardsResponse, CreateBoardRequest } from '../../common/api.ts';
import type { Operation } from './openapi.ts';

const boardId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'board id; one the caller may not see answers 404',
  schema: { type: 'string', format: 'uuid' },
};

const EXAMPLE_BOARD = {
  id: '3f1c2b4a-6d5e-4f70-8a91-b2c3d4e5f607',
  title: 'Kế hoạch chuyển đổi số năm 2026',
  agencyId: 'stttt-ninhbinh',
  ownerId: '2d7ddeda-8a3c-5138-8838-57e59b41bf81',
  role: 'owner',
  createdAt: '2026-01-05T02:00:00.000Z',
  updatedAt: '2026-01-05T02:00:00.000Z',
};

const EXAMPLE_MEMBERS = {
  members: [
    { principal: { type: 'agency', id: 'ubnd-yenhoa' }, role: 'viewer' },
    { principal: { type: 'user', id: '7c75a511-6ee3-5029-b224-a4a0d255a3dd' }, role: 'editor' },
  ],
};

/** Schemas the board operations name, by component id. */
export const BOARD_REQUEST_SCHEMAS: Readonly<Record<string, z.ZodType>> = { CreateBoardRequest, BoardMemberRequest };
export const BOARD_RESPONSE_SCHEMAS: Readonly<Record<string, z.ZodType>> = { BoardRecord, BoardsResponse, BoardMember, BoardMembersResponse };

export const BOARD_OPERATIONS: readonly Operation[] = [
  {
    method: 'post',
    path: '/api/boards',
    summary: 'Create a task board (its tasks live in the room board:<id>)',
    description:
      'The client may choose the id (boards made offline). Repeating the same call answers 200 with the stored record; an id taken by ' +
      'another user’s board answers 409. The board belongs to the caller’s agency and is private until members are added.',
    authenticated: true,
    requestBody: 'CreateBoardRequest',
    requestExample: { id: EXAMPLE_BOARD.id, title: EXAMPLE_BOARD.title },
    responses: {
      201: ['created; the caller is its owner', 'BoardRecord'],
      200: ['already created by this same call', 'BoardRecord'],
      400: ['invalid body', 'ErrorBody'],
      409: ['the id belongs to another board', 'ErrorBody'],
    },
    examples: { 201: EXAMPLE_BOARD },
  },
  {
    method: 'get',
    path: '/api/boards',
    summary: 'Boards the caller owns or is a member of, each with the caller’s role',
    authenticated: true,
    responses: { 200: ['most recently changed first', 'BoardsResponse'] },
    examples: { 200: { boards: [EXAMPLE_BOARD] } },
  },
  {
    method: 'get',
    path: '/api/boards/{id}',
    summary: 'One board with the caller’s role',
    authenticated: true,
    parameters: [boardId],
    responses: { 200: ['the record', 'BoardRecord'], 404: ['absent or not visible', 'ErrorBody'] },
  },
  {
    method: 'get',
    path: '/api/boards/{id}/members',
    summary: 'The members of a board (anyone who can see it)',
    authenticated: true,
    parameters: [boardId],
    responses: { 200: ['the members', 'BoardMembersResponse'], 404: ['absent or not visible', 'ErrorBody'] },
    examples: { 200: EXAMPLE_MEMBERS },
  },
  {
    method: 'post',
    path: '/api/boards/{id}/members',
    summary: 'Add a member (a user or a whole agency) as viewer or editor, or change its role (owner only)',
    description: 'Editors change tasks, viewers read them. Live connections to board:<id> get the new role at once.',
    authenticated: true,
    parameters: [boardId],
    requestBody: 'BoardMemberRequest',
    requestExample: { principal: { type: 'user', id: '7c75a511-6ee3-5029-b224-a4a0d255a3dd' }, role: 'editor' },
    responses: {
      200: ['the board’s members', 'BoardMembersResponse'],
      400: ['invalid body, or a principal not in the directory (unknown_principal)', 'ErrorBody'],
      403: ['the caller can see the board but does not own it', 'ErrorBody'],
      404: ['absent or not visible', 'ErrorBody'],
    },
    examples: { 200: EXAMPLE_MEMBERS },
  },
  {
    method: 'delete',
    path: '/api/boards/{id}/members/{type}/{principalId}',
    summary: 'Remove a member (owner only)',
    description: 'Removing a member that does not exist answers the same 200, so a replayed call is harmless. Its live connections are closed (4403).',
    authenticated: true,
    parameters: [
      boardId,
      { name: 'type', in: 'path', required: true, schema: { type: 'string', enum: ['user', 'agency'] } },
      { name: 'principalId', in: 'path', required: true, description: 'user id or agency id', schema: { type: 'string' } },
    ],
    responses: {
      200: ['the board’s remaining members', 'BoardMembersResponse'],
      403: ['the caller can see the board but does not own it', 'ErrorBody'],
      404: ['absent or not visible', 'ErrorBody'],
    },
  },
];
