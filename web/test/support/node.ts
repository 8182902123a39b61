import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** web/, from build/test/support. */
export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface Event {
  event: string;
  ws?: string;
  http?: string;
  proxyWs?: string;
  connections?: number;
  message?: string;
}

/**
 * A real Kindred node in a child JVM: the TypeScript SDK's test harness (org.kindred.harness.NodeHarness), whose
 * class path (written by Maven into web/browser-tests/target/harness.classpath) holds kindred-server and the
 * kindred-web jar, so the node serves the app exactly as kindred-server.jar does. Behind it, a proxy whose
 * connections `drop()` cuts.
 */
export class Node {
  private readonly waiting: ((event: Event) => void)[] = [];
  private readonly log: string[] = [];

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    /** The node's own address: http://127.0.0.1:PORT (the app at /). */
    readonly http: string,
    /** The same node through the dropping proxy: the app, and its WebSocket, loaded from here can be cut off. */
    readonly proxied: string,
  ) {}

  static async start(args: string[] = []): Promise<Node> {
    const java =
      process.env.KINDRED_JAVA ?? (process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java');
    const classpathFile =
      process.env.KINDRED_HARNESS_CLASSPATH_FILE ?? join(webDir, 'browser-tests', 'target', 'harness.classpath');
    const classpath = readFileSync(classpathFile, 'utf8').trim();
    const child = spawn(java, ['-cp', classpath, 'org.kindred.harness.NodeHarness', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const log: string[] = [];
    createInterface({ input: child.stderr }).on('line', (line) => {
      log.push(line);
      if (log.length > 300) log.shift();
    });
    const lines = createInterface({ input: child.stdout });
    const ready = await new Promise<Event>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no node within 60 s:\n${log.join('\n')}`)), 60_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the node exited with ${code}:\n${log.join('\n')}`));
      });
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolvePromise(JSON.parse(line) as Event);
      });
    });
    child.removeAllListeners('exit');
    const proxyPort = new URL(ready.proxyWs as string).port;
    const node = new Node(child, ready.http as string, `http://127.0.0.1:${proxyPort}`);
    node.log.push(...log);
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      node.waiting.shift()?.(JSON.parse(line) as Event);
    });
    return node;
  }

  /** Cuts every connection through the proxy (a TCP reset, no close frame). */
  async drop(): Promise<number> {
    return (await this.command('drop')).connections ?? 0;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolvePromise) => this.child.once('exit', resolvePromise));
    this.child.stdin.end('stop\n');
    await exited;
  }

  /** The node's log so far, for a failing test's message. */
  recentLog(): string {
    return this.log.join('\n');
  }

  private async command(command: string): Promise<Event> {
    const answer = new Promise<Event>((resolvePromise) => this.waiting.push(resolvePromise));
    this.child.stdin.write(`${command}\n`);
    return answer;
  }
}

/** Reads a text file of this package (axe-core's script). */
export function packageFile(path: string): string {
  return readFileSync(join(webDir, 'node_modules', path), 'utf8');
}
