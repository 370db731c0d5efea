/**
 * WebSocket close codes the relay uses, with the reason text sent alongside. Clients (and the
 * OpenAPI description) rely on these numbers; 4xxx mirror the HTTP status they resemble.
 */
export const CloseCode = {
  /** The server is shutting down; reconnect later. */
  goingAway: 1001,
  /** A frame exceeded the message size limit (sent by `ws` itself through maxPayload). */
  messageTooBig: 1009,
  /** The store failed; nothing unstored was forwarded. Reconnect and resend. */
  storageUnavailable: 1011,
  malformedMessage: 4400,
  tokenExpired: 4401,
  accessRevoked: 4403,
  documentTooLarge: 4413,
  rateLimited: 4429,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
