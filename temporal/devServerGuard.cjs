'use strict';
/* global require, process, setTimeout */
/**
 * Runs the Temporal dev server as its child and stops it when the app that started this guard goes
 * away, however it goes: the app talks to the guard over Node's IPC channel, and the kernel closes
 * that channel when the app dies, even on kill -9 or out of memory ('disconnect' fires here).
 *
 * Why a guard process: Node can't set prctl(PR_SET_PDEATHSIG) on a child, `setpriv --pdeathsig`
 * isn't on every system (nor on macOS), and a handler in the app itself can't run after SIGKILL.
 * Plain JavaScript (no TypeScript loader) so it starts in a few milliseconds.
 *
 * Usage (temporal/devServer.ts): node devServerGuard.cjs <temporal cli> <args…>, with an IPC channel.
 * Messages to the app: { type: 'spawned', pid } then { type: 'exit', code, signal }.
 */
const { spawn } = require('node:child_process');

const STOP_GRACE_MS = 10_000;
const [cli, ...args] = process.argv.slice(2);
const send = (message) => {
  if (process.connected) process.send(message);
};

// The server writes to the same stdout/stderr pipes the app reads.
const child = spawn(cli, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let stopRequested = false;

function stopChild() {
  if (stopRequested) return;
  stopRequested = true;
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  // A server that ignores SIGTERM is killed; unref'd so a prompt exit isn't held up.
  setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS).unref();
}

child.once('spawn', () => send({ type: 'spawned', pid: child.pid }));
child.once('error', (error) => {
  send({ type: 'error', message: error.message });
  process.exit(127);
});
child.once('exit', (code, signal) => {
  send({ type: 'exit', code, signal });
  // 128 + n, as a shell reports a child killed by signal n.
  const status = code ?? 128 + (require('node:os').constants.signals[signal] ?? 0);
  if (process.connected) process.disconnect();
  process.exit(status);
});

// The app closed the channel or died: take the server down with it.
process.on('disconnect', stopChild);
process.on('SIGTERM', stopChild);
process.on('SIGHUP', stopChild);
// Ctrl-C reaches the whole foreground process group: the server gets it too and shuts down by itself.
process.on('SIGINT', () => {});
