// One child process of the supervisor: spawned in its own process group, logging to a file, recorded in a pid
// file, stopped with SIGTERM then SIGKILL. Children must never outlive the supervisor, which Node cannot promise
// by itself: a SIGKILLed Node runs no exit handler. So each child is started through util-linux's `setpriv
// --pdeathsig KILL`, which sets PR_SET_PDEATHSIG and execs the binary (same pid), and the kernel kills it when
// the supervisor dies. The pid files are the second line of defence (no setpriv, or a child that re-parented):
// the next start finds them and kills what is left, after checking the pid still runs the same binary.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessSpec {
  /** Shown in messages and used for file names. */
  name: string;
  binary: string;
  args: string[];
  env?: Record<string, string | undefined>;
  logFile: string;
  pidFile: string;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What a pid file holds: enough to tell our child from an unrelated process that got the same pid later. */
interface PidRecord {
  pid: number;
  binary: string;
  startTime: string;
}

const LOG_ROTATE_BYTES = 20 * 1024 * 1024;

let setprivChecked: string | null | undefined;
function setprivPath(): string | null {
  if (setprivChecked === undefined) {
    const probe = spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' });
    setprivChecked = probe.status === 0 ? 'setpriv' : null;
  }
  return setprivChecked;
}

/** Field 22 of /proc/<pid>/stat: the start time in clock ticks since boot; with the pid it names one process. */
function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses; fields after it are plain.
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return afterName[19] ?? null;
  } catch {
    return null;
  }
}

export function processExecutable(pid: number): string | null {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    // Started through setpriv, argv[0] is the binary once setpriv has exec'd it.
    return argv0[0] ?? null;
  } catch {
    return null;
  }
}

/** Whether the pid runs. A zombie (dead, not yet reaped by whoever inherited it) counts as dead. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    // Gone in the meantime, or no /proc at all (not Linux), where kill(0) is all we have.
    return !existsSync('/proc/self/stat');
  }
}

/** Reads a pid file and says whether that pid still runs the process it was written for. */
export function livePidFromFile(pidFile: string): number | null {
  let record: PidRecord;
  try {
    record = JSON.parse(readFileSync(pidFile, 'utf8')) as PidRecord;
  } catch {
    return null;
  }
  if (!isAlive(record.pid)) return null;
  if (processStartTime(record.pid) !== record.startTime) return null;
  const executable = processExecutable(record.pid);
  if (executable !== null && executable !== record.binary && executable !== 'setpriv') return null;
  return record.pid;
}

export function writePidFile(pidFile: string, pid: number, binary: string): void {
  const record: PidRecord = { pid, binary, startTime: processStartTime(pid) ?? '' };
  mkdirSync(dirname(pidFile), { recursive: true });
  writeFileSync(pidFile, `${JSON.stringify(record)}\n`);
}

/** Kills a leftover child named by a pid file (SIGKILL to its group and itself) and waits until it is gone. */
export async function killStale(pidFile: string): Promise<number | null> {
  const pid = livePidFromFile(pidFile);
  if (pid !== null) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Already gone, or not a group leader.
      }
    }
    for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(50);
  }
  rmSync(pidFile, { force: true });
  return pid;
}

/** Opens the component's log for appending, moving a large one aside first so logs cannot grow without bound. */
function openLog(logFile: string): number {
  mkdirSync(dirname(logFile), { recursive: true });
  if (existsSync(logFile) && statSync(logFile).size > LOG_ROTATE_BYTES) renameSync(logFile, `${logFile}.1`);
  return openSync(logFile, 'a');
}

/** The last lines of a log, for error messages that say why a component failed. */
export function logTail(logFile: string, lines = 15): string {
  try {
    const text = readFileSync(logFile, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export class ChildProcess {
  readonly spec: ProcessSpec;
  readonly pid: number;
  /** Settles when the process exits, however it exits. */
  readonly exited: Promise<ProcessExit>;
  #exit: ProcessExit | null = null;

  constructor(spec: ProcessSpec) {
    this.spec = spec;
    const log = openLog(spec.logFile);
    writeFileSync(log, `\n==== ${new Date().toISOString()} starting ${spec.binary} ${spec.args.join(' ')}\n`);
    const setpriv = setprivPath();
    const [command, args] = setpriv
      ? [setpriv, ['--pdeathsig', 'KILL', '--', spec.binary, ...spec.args]]
      : [spec.binary, spec.args];
    const child = spawn(command, args, {
      // Own process group: a Ctrl-C in the terminal reaches the supervisor only, which then stops the children
      // in order (apiserver before etcd) instead of all of them dying at once.
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, ...spec.env },
    });
    closeSync(log);
    if (child.pid === undefined) {
      throw new Error(`could not start ${spec.name} (${spec.binary})`);
    }
    this.pid = child.pid;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        rmSync(spec.pidFile, { force: true });
        resolve(this.#exit);
      });
      child.once('error', () => {
        this.#exit = { code: null, signal: null };
        resolve(this.#exit);
      });
    });
    writePidFile(spec.pidFile, child.pid, spec.binary);
  }

  get running(): boolean {
    return this.#exit === null;
  }

  get exit(): ProcessExit | null {
    return this.#exit;
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves once the process is gone. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.#signal('SIGTERM');
    const timer = setTimeout(() => this.#signal('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Immediate SIGKILL of the group, for the supervisor's own exit path where nothing can be awaited. */
  killNow(): void {
    if (this.running) this.#signal('SIGKILL');
  }

  #signal(signal: NodeJS.Signals): void {
    for (const target of [-this.pid, this.pid]) {
      try {
        process.kill(target, signal);
        return;
      } catch {
        // The group may already be gone; try the pid itself.
      }
    }
  }
}
