import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { Client as PgClient } from 'pg';
import { searchAttributeTypes } from '../../workflows/searchAttributes';
import { type ChildMessage, type ParentMessage } from './protocol';
import type { SdkWarnings } from './results';

export const projectRoot = path.resolve(__dirname, '..', '..');

/** The benchmark's infrastructure: namespaces, databases, and the child processes that run each side's workers. */

export async function registerNamespace(connection: Connection, namespace: string) {
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  const searchAttributes = { FiscalYear: 3, Quarter: 3, DepartmentCode: 2, ReviewStatus: 2 } satisfies Record<keyof typeof searchAttributeTypes, number>;
  // A new namespace takes a moment to reach every frontend of a real cluster.
  for (let attempt = 0; ; attempt++) {
    try {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
      await connection.workflowService.describeNamespace({ namespace });
      return;
    } catch (error) {
      if (attempt >= 60) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

export async function createDatabases(adminUrl: string, names: string[]): Promise<{ urls: string[]; drop(): Promise<void> }> {
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const name of names) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    urls: names.map((name) => {
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    }),
    async drop() {
      const again = new PgClient({ connectionString: adminUrl });
      await again.connect();
      try {
        for (const name of names) await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.end();
      }
    },
  };
}

/** utime + stime of a process, in seconds (Linux /proc; null elsewhere). */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export const emptyWarnings = (): SdkWarnings => ({
  payloadsOverWarningLimit: { count: 0, maxBytes: 0 },
  slowWorkflowTasks: { count: 0, maxMs: 0, byWorkflowType: {} },
  workflowTasksLost: 0,
  workflowTasksFailed: { count: 0, reasons: {} },
});

/** One child process of the benchmark (ours or the floor), spoken to over IPC. */
export class ChildWorker {
  private readonly child: ChildProcess;
  private waiting: { type: string; resolve: (m: ChildMessage) => void; reject: (e: Error) => void } | null = null;
  private exited = false;
  onProgress: (p: Extract<ChildMessage, { type: 'progress' }>) => void = () => undefined;
  readonly warnings = emptyWarnings();

  constructor(side: 'ours' | 'floor') {
    this.child = fork(path.join(__dirname, side === 'ours' ? 'oursProcess.ts' : 'floorProcess.ts'), [], {
      cwd: projectRoot,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // The SDK core logs its warnings on stdout or stderr: counted here, everything else passed on.
    const onLine = (raw: string) => {
      // eslint-disable-next-line no-control-regex
      const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
      const field = (name: string) => new RegExp(`${name}=(\\S+)`).exec(line)?.[1];
      if (line.includes('TMPRL1103')) {
        this.warnings.payloadsOverWarningLimit.count += 1;
        this.warnings.payloadsOverWarningLimit.maxBytes = Math.max(this.warnings.payloadsOverWarningLimit.maxBytes, Number(field('size') ?? 0));
      } else if (line.includes('TMPRL1104')) {
        const slow = this.warnings.slowWorkflowTasks;
        const type = field('workflow_type') ?? 'unknown';
        slow.count += 1;
        slow.maxMs = Math.max(slow.maxMs, Number(field('workflow_task_duration') ?? 0));
        slow.byWorkflowType[type] = (slow.byWorkflowType[type] ?? 0) + 1;
      } else if (line.includes('Task not found when completing')) {
        this.warnings.workflowTasksLost += 1;
      } else if (line.includes('Failing workflow task')) {
        const reason = (/message: "([^"]*)"/.exec(line)?.[1] ?? 'unknown').replace(/\d+/g, 'N');
        this.warnings.workflowTasksFailed.count += 1;
        this.warnings.workflowTasksFailed.reasons[reason] = (this.warnings.workflowTasksFailed.reasons[reason] ?? 0) + 1;
      } else if (!line.includes('No activities registered')) {
        process.stderr.write(`[${side}] ${raw}\n`);
      }
    };
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', onLine);
    createInterface({ input: this.child.stderr as NodeJS.ReadableStream }).on('line', onLine);
    this.child.on('message', (message: ChildMessage) => {
      if (message.type === 'progress') return this.onProgress(message);
      const waiting = this.waiting;
      if (!waiting) return;
      this.waiting = null;
      if (message.type === 'error') waiting.reject(new Error(`${side} worker process: ${message.message}`));
      else waiting.resolve(message);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.reject(new Error(`${side} worker process exited (${signal ?? code}) before answering`));
    });
  }

  request(message: ParentMessage, expect: ChildMessage['type'], timeoutMs: number): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${expect}' from the worker process within ${timeoutMs / 1000} s`)), timeoutMs);
      this.waiting = {
        type: expect,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.child.send(message);
    });
  }

  async shutdown(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'shutdown' } satisfies ParentMessage);
    const timer = setTimeout(() => this.kill(), 30_000);
    await exited;
    clearTimeout(timer);
  }

  kill() {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
