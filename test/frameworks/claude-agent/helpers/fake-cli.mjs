#!/usr/bin/env node
/**
 * A stand-in for the Claude Code CLI, started by the real SDK through `options.pathToClaudeCodeExecutable`
 * (a path ending in .mjs is run with node). It speaks the CLI's stream-json protocol as recorded from CLI
 * 2.1.337: the SDK writes a `control_request` (subtype `initialize`) and the user message on stdin, one JSON
 * object a line; the CLI answers the request with a `control_response`, then writes the session's messages
 * on stdout, one a line; the SDK closes stdin after the `result` of a string prompt, and the CLI exits.
 *
 * What it writes comes from the JSON file named by FAKE_CLI_SCRIPT: `{ steps: Step[] }`, each step one of
 * - `{ "emit": <message> }`: written as it is, every string "$TRACEPARENT" in it replaced by the TRACEPARENT
 *   the SDK gave this process (the way a test sees which context the CLI was started in), and "$PID" by
 *   this process's id (the way a test kills it, or waits for its exit);
 * - `{ "hold": true }`: write nothing more until the SDK closes stdin or kills the process;
 * - `{ "exit": <code>, "stderr"?: <text> }`: write `stderr`, then exit with `code` at once.
 * After the last step it exits 0 when stdin closes. Each stdin line is appended to FAKE_CLI_LOG, if set.
 */
import fs from 'node:fs';
import readline from 'node:readline';

const script = JSON.parse(fs.readFileSync(process.env.FAKE_CLI_SCRIPT, 'utf8'));
const traceparent = process.env.TRACEPARENT ?? '';
const logFile = process.env.FAKE_CLI_LOG;

function write(message) {
  const text = JSON.stringify(message).replaceAll('$TRACEPARENT', traceparent).replaceAll('$PID', String(process.pid));
  process.stdout.write(`${text}\n`);
}

let stdinClosed = false;
let onStdinClosed = () => {};
const input = readline.createInterface({ input: process.stdin });
let sessionStarted = false;

input.on('line', (line) => {
  if (logFile) fs.appendFileSync(logFile, `${line}\n`);
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    return;
  }
  if (message.type === 'control_request') {
    const response = message.request?.subtype === 'initialize'
      ? { commands: [], agents: [], output_style: 'default', available_output_styles: ['default'], models: [], account: {}, pid: process.pid, claude_code_version: '2.1.337', current_permission_mode: 'default' }
      : {};
    write({ type: 'control_response', response: { subtype: 'success', request_id: message.request_id, response } });
    return;
  }
  if (message.type === 'user' && !sessionStarted) {
    sessionStarted = true;
    void play();
  }
});
input.on('close', () => {
  stdinClosed = true;
  onStdinClosed();
});

function untilStdinCloses() {
  return stdinClosed ? Promise.resolve() : new Promise((resolve) => (onStdinClosed = resolve));
}

async function play() {
  for (const step of script.steps) {
    if ('emit' in step) write(step.emit);
    else if (step.hold) {
      await untilStdinCloses();
      process.exit(0);
    } else if ('exit' in step) {
      if (step.stderr) process.stderr.write(step.stderr);
      // stdout is a pipe: let what was written reach the SDK before the exit.
      process.stdout.write('', () => process.exit(step.exit));
      return;
    }
  }
  await untilStdinCloses();
  process.exit(0);
}
