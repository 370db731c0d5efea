/**
 * The contract between the desktop shell's main process and the renderer: every IPC call, its
 * channel, the zod schema of what it accepts and of what it answers, and the `CongvuBridge` type
 * the preload exposes as `window.congvu`. Main validates every request against these schemas
 * (electron/ipc.ts); the renderer imports the types and treats the bridge as optional, since the
 * same app also runs in a plain browser without it.
 *
 * Answers are values, never throws: `{ ok: true, value }` or `{ ok: false, error: { code } }`,
 * with codes the UI translates (the same shape as the renderer's ApiResult).
 */
import { z } from 'zod';

// --- results -------------------------------------------------------------------------------

export const IpcErrorCode = z.enum([
  /** The arguments did not match the schema of the call. */
  'invalid_request',
  /** The caller is not the app's own top-level page (a sub-frame, another origin). */
  'forbidden',
  /** A link that is not on the allowlist of external sites. */
  'not_allowed',
  /** Not available on this system (for example notifications). */
  'unsupported',
  /** Writing the file or the settings failed. */
  'io_failed',
  /** Anything unexpected; the main process logged it. */
  'internal',
]);
export type IpcErrorCode = z.infer<typeof IpcErrorCode>;

export interface IpcError {
  readonly code: IpcErrorCode;
  readonly message: string;
}

export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

// --- building blocks -----------------------------------------------------------------------

/** Characters that no file system of the three platforms accepts in a name, and control characters. */
const FORBIDDEN_FILE_NAME = /[/\\:*?"<>|\u0000-\u001f\u007f]/;

/** A file name proposed to the save dialog: a name, never a path. */
export const FileName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((name) => !FORBIDDEN_FILE_NAME.test(name) && name !== '.' && name !== '..', 'a file name, not a path');

/** Largest file the renderer may hand over to be saved (exports of documents, not backups). */
export const MAX_SAVE_BYTES = 100 * 1024 * 1024;

const HOST_LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const ORIGIN = new RegExp(`^(https?)://((?:${HOST_LABEL})(?:\\.${HOST_LABEL})*|\\[[0-9a-f:.]+\\])(?::(\\d{1,5}))?/?$`, 'i');

/**
 * The address of a Congvu server: an http(s) origin and nothing else (no path, query, user or
 * password), written as `scheme://host[:port]` in lower case. The renderer derives the API base
 * and the sync URL from it (`syncUrlOf`).
 */
export const ServerUrl = z
  .string()
  .trim()
  .max(300)
  .refine((value) => {
    const match = ORIGIN.exec(value);
    if (!match) return false;
    const port = match[3];
    return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
  }, 'an http:// or https:// server address such as http://127.0.0.1:8787, without a path')
  .transform((value) => value.toLowerCase().replace(/\/$/, ''));
export type ServerUrl = z.output<typeof ServerUrl>;

/** `http://host:port` → `ws://host:port/sync` (and https → wss): where y-websocket connects. */
export function syncUrlOf(serverUrl: string): string {
  return `${serverUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/sync`;
}

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

/** A UUID in lower case, as common/api.ts spells document ids. */
const DocumentId = z.uuid().toLowerCase();

/**
 * Somewhere in the app that the main process asks the renderer to go: a document (from a
 * `congvu://doc/<id>` link or a notification) or one of the main pages (from the menu).
 */
export const AppLink = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('document'), documentId: DocumentId }).strict(),
  z.object({ kind: z.literal('page'), page: z.enum(['documents', 'tasks', 'approvals']) }).strict(),
]);
export type AppLink = z.output<typeof AppLink>;

/** The route of the web app (CONTRACT.md, "Web app") that shows a link's target. */
export function appRouteOf(link: AppLink): string {
  return link.kind === 'document' ? `/documents/${link.documentId}` : `/${link.page}`;
}

// --- calls ---------------------------------------------------------------------------------

export const AppVersion = z.object({
  /** The app's version (package.json). */
  version: z.string(),
  electron: z.string(),
  chrome: z.string(),
  platform: z.string(),
});
export type AppVersion = z.output<typeof AppVersion>;

export const SaveFileRequest = z
  .object({
    suggestedName: FileName,
    /** Text is written as UTF-8; bytes as they are. */
    content: z.union([
      z.string().max(MAX_SAVE_BYTES / 4),
      z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength <= MAX_SAVE_BYTES, 'at most 100 MiB'),
    ]),
    /** Offered in the dialog's type list, e.g. `{ name: 'Word', extensions: ['docx'] }`. */
    filters: z
      .array(
        z
          .object({
            name: z.string().trim().min(1).max(100),
            extensions: z.array(z.string().regex(/^[a-z0-9]{1,10}$/i)).min(1).max(10),
          })
          .strict(),
      )
      .max(10)
      .optional(),
  })
  .strict();
export type SaveFileRequest = z.input<typeof SaveFileRequest>;

/** `saved: false` when the user closed the dialog; the full path is not revealed to the page. */
export const SaveFileResult = z.union([
  z.object({ saved: z.literal(false) }),
  z.object({ saved: z.literal(true), fileName: z.string() }),
]);
export type SaveFileResult = z.output<typeof SaveFileResult>;

export const NotificationRequest = z
  .object({
    title: z.string().trim().min(1).max(200),
    body: z.string().max(2000).default(''),
    /** Clicking the notification brings the window forward and opens this. */
    link: AppLink.optional(),
  })
  .strict();
export type NotificationRequest = z.input<typeof NotificationRequest>;

export const NotificationResult = z.object({ shown: z.boolean() });
export type NotificationResult = z.output<typeof NotificationResult>;

export const OpenExternalRequest = z.object({ url: z.string().max(2048) }).strict();
export type OpenExternalRequest = z.input<typeof OpenExternalRequest>;

export const OpenExternalResult = z.object({ opened: z.literal(true) });
export type OpenExternalResult = z.output<typeof OpenExternalResult>;

export const Settings = z.object({ serverUrl: ServerUrl }).strict();
export type Settings = z.output<typeof Settings>;
export type SettingsInput = z.input<typeof Settings>;

export const SubscribeLinksResult = z.object({ subscribed: z.literal(true) });

const NoArguments = z.undefined();

/**
 * Every call of the bridge: the channel it travels on, what main accepts, what it answers.
 * Channels are namespaced `congvu:` so that no library's own IPC can collide with them.
 */
export const IpcContract = {
  appVersion: { channel: 'congvu:app-version', request: NoArguments, response: AppVersion },
  saveFile: { channel: 'congvu:save-file', request: SaveFileRequest, response: SaveFileResult },
  showNotification: { channel: 'congvu:show-notification', request: NotificationRequest, response: NotificationResult },
  openExternal: { channel: 'congvu:open-external', request: OpenExternalRequest, response: OpenExternalResult },
  getSettings: { channel: 'congvu:get-settings', request: NoArguments, response: Settings },
  setSettings: { channel: 'congvu:set-settings', request: Settings, response: Settings },
  /** The page has a deep-link listener: main sends links as events instead of reloading the page. */
  subscribeLinks: { channel: 'congvu:subscribe-links', request: NoArguments, response: SubscribeLinksResult },
} as const satisfies Record<string, { channel: `congvu:${string}`; request: z.ZodType; response: z.ZodType }>;

export type IpcMethod = keyof typeof IpcContract;
/** What main's handler receives, after validation and defaults. */
export type IpcRequest<M extends IpcMethod> = z.output<(typeof IpcContract)[M]['request']>;
export type IpcResponse<M extends IpcMethod> = z.output<(typeof IpcContract)[M]['response']>;

/** Main → renderer: an `AppLink` to open (deep link, notification click, menu). */
export const LINK_EVENT_CHANNEL = 'congvu:link';

// --- the bridge ----------------------------------------------------------------------------

/** The global name the preload exposes the bridge under: `window.congvu`. */
export const BRIDGE_GLOBAL = 'congvu';

/**
 * What `window.congvu` offers inside the desktop app. Absent in a browser: the renderer checks
 * for it and falls back to browser behaviour (download links, the Notification API,
 * `window.open`, same-origin server). docs/desktop.md describes each call.
 */
export interface CongvuBridge {
  /** Incremented when a call is removed or changes meaning; calls may be added without it. */
  readonly bridgeVersion: 1;
  appVersion(): Promise<IpcResult<AppVersion>>;
  /** Shows the system "save as" dialog and writes the content where the user chose. */
  saveFile(request: SaveFileRequest): Promise<IpcResult<SaveFileResult>>;
  showNotification(request: NotificationRequest): Promise<IpcResult<NotificationResult>>;
  /** Opens an http(s) link in the system browser if its host is on the allowlist. */
  openExternal(url: string): Promise<IpcResult<OpenExternalResult>>;
  getSettings(): Promise<IpcResult<Settings>>;
  /** Saves the settings; reload the page afterwards so the new server address takes effect. */
  setSettings(settings: SettingsInput): Promise<IpcResult<Settings>>;
  /** Calls the listener for each link main asks the app to open; returns the unsubscribe function. */
  onDeepLink(listener: (link: AppLink) => void): () => void;
}
