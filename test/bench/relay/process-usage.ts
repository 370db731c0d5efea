// CPU time and memory of a server process, read from /proc (Linux only), so that the servers
// are measured from the outside in exactly the same way whatever they are written in. The
// figures cover the process and any processes it has started (its descendants), in case a
// server moves work into helpers; threads are already included in a process's own counters.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const clockTicksPerSecond = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime, in clock ticks. */
  readonly cpuTicks: number;
}

/**
 * The fields of a `stat` file of /proc after the command name, or null when it is gone (the process
 * or thread ended). fields[0] is field 3 (state): ppid is fields[1], utime fields[11], stime fields[12].
 */
function statFields(path: string): string[] | null {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after it.
  return raw.slice(raw.lastIndexOf(')') + 2).split(' ');
}

function readStat(pid: number): ProcStat | null {
  const fields = statFields(`/proc/${pid}/stat`);
  if (fields === null) return null;
  return { pid, ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

/** The process and all its living descendants. */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat === null) continue;
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(stat.pid);
    children.set(stat.ppid, siblings);
  }
  const tree: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** User + system CPU seconds used so far by the process tree. */
export function cpuSeconds(rootPid: number): number {
  let ticks = 0;
  for (const pid of processTree(rootPid)) ticks += readStat(pid)?.cpuTicks ?? 0;
  return ticks / clockTicksPerSecond;
}

/** CPU seconds of the root process split by thread: its main thread (user, kernel) and all its other threads. */
export interface ThreadCpu {
  readonly mainUser: number;
  readonly mainSystem: number;
  /** V8's helper threads (compiler, GC), libuv's thread pool, worker threads. */
  readonly otherThreads: number;
}

export function threadCpuSeconds(pid: number): ThreadCpu {
  let mainUser = 0;
  let mainSystem = 0;
  let otherThreads = 0;
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    // the process is gone
  }
  for (const tid of tids) {
    const fields = statFields(`/proc/${pid}/task/${tid}/stat`);
    if (fields === null) continue; // the thread ended meanwhile
    const user = Number(fields[11]);
    const system = Number(fields[12]);
    if (Number(tid) === pid) {
      mainUser = user;
      mainSystem = system;
    } else {
      otherThreads += user + system;
    }
  }
  return { mainUser: mainUser / clockTicksPerSecond, mainSystem: mainSystem / clockTicksPerSecond, otherThreads: otherThreads / clockTicksPerSecond };
}

function statusFieldKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match === null ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

/** Resident set size of the process tree now, in MiB. */
export function rssMiB(rootPid: number): number {
  let kib = 0;
  for (const pid of processTree(rootPid)) kib += statusFieldKiB(pid, 'VmRSS');
  return kib / 1024;
}

/** The kernel's high-water mark of the root process's resident set (VmHWM), in MiB. */
export function peakRssMiB(rootPid: number): number {
  return statusFieldKiB(rootPid, 'VmHWM') / 1024;
}

/**
 * Samples the tree's RSS every `intervalMs` while running, because VmHWM covers one process
 * only and the whole lifetime, whereas a phase wants the peak within itself.
 */
export class RssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly rootPid: number, intervalMs = 250) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    this.peak = Math.max(this.peak, rssMiB(this.rootPid));
  }

  /** Stops sampling and returns the peak seen, in MiB. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

/** CPU seconds the whole machine has spent busy (all CPUs, from /proc/stat). */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  // cpu user nice system idle iowait irq softirq steal guest guest_nice
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / clockTicksPerSecond;
}
