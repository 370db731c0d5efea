// The forked client processes of the relay benchmark (worker.ts) and a typed request/answer
// channel to each: `request(i, {type: 'connect', …})` resolves with that request's result type.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild, track } from '../children.ts';
import type { Request, RequestEnvelope, RequestType, ResponseEnvelope, ResultOf } from './protocol.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** The forked client processes and a typed request/answer channel to each. */
export class ClientProcesses {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: ResultOf[RequestType]) => void; reject: (e: Error) => void }>();

  private constructor(private readonly children: ChildProcess[]) {
    for (const child of children) {
      child.on('message', (message: unknown) => {
        if (message === 'ready') return;
        const envelope = message as ResponseEnvelope;
        const waiter = this.pending.get(envelope.id);
        if (waiter === undefined) return;
        this.pending.delete(envelope.id);
        if (envelope.ok) waiter.resolve(envelope.result);
        else waiter.reject(new Error(`client process: ${envelope.error}`));
      });
      child.on('exit', (code, signal) => {
        if (code === 0 || signal === 'SIGTERM') return;
        for (const [id, waiter] of this.pending) {
          this.pending.delete(id);
          waiter.reject(new Error(`client process ${child.pid} exited (code ${code}, signal ${signal})`));
        }
      });
    }
  }

  /** Forks `count` client processes and resolves once each has loaded and said 'ready'. */
  static async start(count: number): Promise<ClientProcesses> {
    const entry = fileURLToPath(new URL('./worker.ts', import.meta.url));
    const children = Array.from({ length: count }, () =>
      track(fork(entry, [], { cwd: repoRoot, execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })),
    );
    const processes = new ClientProcesses(children);
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve, reject) => {
            const onMessage = (message: unknown): void => {
              if (message !== 'ready') return;
              child.off('message', onMessage);
              child.off('exit', onExit);
              resolve();
            };
            const onExit = (code: number | null): void => reject(new Error(`client process exited (code ${code}) while starting`));
            child.on('message', onMessage);
            child.once('exit', onExit);
          }),
      ),
    ).catch(async (error: unknown) => {
      await processes.stop();
      throw error;
    });
    return processes;
  }

  get count(): number {
    return this.children.length;
  }

  get pids(): number[] {
    return this.children.map((child) => child.pid as number);
  }

  request<T extends RequestType>(worker: number, request: Extract<Request, { type: T }>): Promise<ResultOf[T]> {
    const id = this.nextId++;
    return new Promise<ResultOf[T]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: ResultOf[RequestType]) => void, reject });
      const envelope: RequestEnvelope = { id, request };
      this.children[worker].send(envelope);
    });
  }

  /** The same request to every process (or a per-process one), answers in process order. */
  all<T extends RequestType>(request: Extract<Request, { type: T }> | ((worker: number) => Extract<Request, { type: T }>)): Promise<Array<ResultOf[T]>> {
    return Promise.all(this.children.map((_, w) => this.request<T>(w, typeof request === 'function' ? request(w) : request)));
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map((child) => stopChild(child, 2000)));
  }
}
