/**
 * The one way an IPC handler is installed in the main process (after VS Code's
 * `validatedIpcMain`). Before a handler runs, the wrapper checks that the call comes from the
 * top-level frame of one of the app's pages (not a sub-frame, not another origin, not a frame
 * that has gone away) and that the arguments match the zod schema of the call in common/ipc.ts.
 * Handlers answer values; the wrapper turns refusals and throws into `{ ok: false, error }`, so
 * the renderer never sees a rejected promise or a stack trace.
 */
import { IpcContract, type IpcErrorCode, type IpcMethod, type IpcRequest, type IpcResponse, type IpcResult } from '../common/ipc.ts';
import { originOf } from './navigation.ts';

/** The part of a WebFrameMain the wrapper reads. */
export interface SenderFrame {
  readonly url: string;
  readonly origin: string;
  readonly parent: unknown;
}

/** The part of IpcMainInvokeEvent the wrapper reads. */
export interface InvokeEvent {
  readonly senderFrame: SenderFrame | null;
  readonly sender: unknown;
}

/** The part of Electron's ipcMain the wrapper uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface ValidatedIpcOptions {
  /** Origins whose top-level pages may call (the app's own origin). */
  readonly trustedOrigins: readonly string[];
  /** Told about every refused or failed call, for the log. Never shown to the page. */
  readonly onRefused?: (channel: string, code: IpcErrorCode, detail: string) => void;
}

/** What a handler gets besides its validated request: the WebContents that asked. */
export interface IpcCallContext {
  readonly sender: unknown;
}

export type IpcHandler<M extends IpcMethod> = (request: IpcRequest<M>, context: IpcCallContext) => Promise<IpcResult<IpcResponse<M>>>;

export function fail(code: IpcErrorCode, message: string): { readonly ok: false; readonly error: { code: IpcErrorCode; message: string } } {
  return { ok: false, error: { code, message } };
}

export function succeed<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Why a sender is refused, or undefined when it may call. */
export function senderProblem(event: InvokeEvent, trustedOrigins: readonly string[]): string | undefined {
  const frame = event.senderFrame;
  if (frame === null || frame === undefined) return 'the sending frame is gone';
  if (frame.parent !== null) return 'a sub-frame may not call';
  const trusted = trustedOrigins.map((origin) => origin.toLowerCase());
  // Both must agree: the URL's origin and the frame's own (an about:blank frame has no URL
  // origin but inherits its opener's; a sandboxed frame has the origin "null").
  const fromUrl = originOf(frame.url);
  if (fromUrl === undefined || !trusted.includes(fromUrl)) return `origin ${fromUrl ?? 'none'} is not the app's`;
  if (!trusted.includes(frame.origin.toLowerCase())) return `frame origin ${frame.origin} is not the app's`;
  return undefined;
}

export class ValidatedIpc {
  private readonly channels = new Set<string>();

  constructor(
    private readonly ipcMain: IpcMainLike,
    private readonly options: ValidatedIpcOptions,
  ) {}

  handle<M extends IpcMethod>(method: M, handler: IpcHandler<M>): void {
    const { channel, request: requestSchema, response: responseSchema } = IpcContract[method];
    if (this.channels.has(channel)) throw new Error(`IPC channel ${channel} has a handler already`);
    this.channels.add(channel);
    const refuse = (code: IpcErrorCode, detail: string, message: string) => {
      this.options.onRefused?.(channel, code, detail);
      return fail(code, message);
    };
    this.ipcMain.handle(channel, async (event, ...args) => {
      const problem = senderProblem(event, this.options.trustedOrigins);
      if (problem) return refuse('forbidden', problem, 'this page may not use the desktop bridge');
      if (args.length > 1) return refuse('invalid_request', `${args.length} arguments`, 'one argument at most');
      const parsed = requestSchema.safeParse(args[0]);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(argument)'}: ${issue.message}`).join('; ');
        return refuse('invalid_request', detail, detail);
      }
      try {
        const result = await handler(parsed.data as IpcRequest<M>, { sender: event.sender });
        if (!result.ok) return result;
        // Main's own answers are checked too: the renderer relies on the declared shape.
        const checked = responseSchema.safeParse(result.value);
        if (!checked.success) return refuse('internal', `answer of ${method} off contract: ${checked.error.message}`, 'internal error');
        return succeed(checked.data);
      } catch (error) {
        return refuse('internal', error instanceof Error ? (error.stack ?? error.message) : String(error), 'internal error');
      }
    });
  }

  /** Removes every handler this instance installed (tests, and a clean quit). */
  dispose(): void {
    for (const channel of this.channels) this.ipcMain.removeHandler(channel);
    this.channels.clear();
  }
}
