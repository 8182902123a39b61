import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The module's folder (client-sdk/typescript), from build/test/support. */
const moduleDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** What the harness prints: its URLs. */
export interface HarnessUrls {
  /** The node's WebSocket URL. */
  ws: string;
  /** The node's HTTP base URL (/dev/token, /healthz). */
  http: string;
  /** The same WebSocket through the harness's proxy, whose connections `drop()` cuts. */
  proxyWs: string;
  redis: string | null;
}

interface HarnessEvent extends Partial<HarnessUrls> {
  event: string;
  connections?: number;
  count?: number;
  message?: string;
}

/**
 * A real Kindred node in a child JVM (org.kindred.harness.NodeHarness, built by Maven into target/test-classes),
 * driven through its standard input. Maven passes where the JVM and the classpath are (KINDRED_JAVA,
 * KINDRED_HARNESS_CLASSES, KINDRED_HARNESS_CLASSPATH_FILE); outside Maven the defaults under target/ are used, after
 * `mvn -pl client-sdk/typescript -am test-compile`.
 */
export class Harness {
  private readonly events: HarnessEvent[] = [];
  private readonly waiting: ((event: HarnessEvent) => void)[] = [];
  private readonly log: string[] = [];
  urls: HarnessUrls;

  private constructor(
    private readonly process: ChildProcessWithoutNullStreams,
    ready: HarnessEvent,
  ) {
    this.urls = ready as HarnessUrls;
  }

  /** Starts a node; `--redis` keeps its history across restarts, `--config FILE` sets rooms and limits. */
  static async start(args: string[] = []): Promise<Harness> {
    const java =
      process.env.KINDRED_JAVA ?? (process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java');
    const classes = process.env.KINDRED_HARNESS_CLASSES ?? join(moduleDir, 'target', 'test-classes');
    const classpathFile = process.env.KINDRED_HARNESS_CLASSPATH_FILE ?? join(moduleDir, 'target', 'harness.classpath');
    const classpath = [classes, readFileSync(classpathFile, 'utf8').trim()].join(delimiter);
    const child = spawn(java, ['-cp', classpath, 'org.kindred.harness.NodeHarness', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const log: string[] = [];
    createInterface({ input: child.stderr }).on('line', (line) => {
      log.push(line);
      if (log.length > 200) log.shift();
    });
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<HarnessEvent>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no harness within 60 s:\n${log.join('\n')}`)), 60_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the harness exited with ${code}:\n${log.join('\n')}`));
      });
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolvePromise(JSON.parse(line) as HarnessEvent);
      });
    });
    child.removeAllListeners('exit');
    const harness = new Harness(child, first);
    harness.log.push(...log);
    lines.on('line', (line) => harness.receive(line));
    return harness;
  }

  /** Cuts every connection through the proxy (a TCP reset, no close frame); resolves with how many there were. */
  async drop(): Promise<number> {
    return (await this.command('drop', 'dropped')).connections ?? 0;
  }

  /** Closes the node (clients get close code 4000) and starts it again on the same port. */
  async restart(): Promise<void> {
    this.urls = (await this.command('restart', 'restarted')) as HarnessUrls;
  }

  /** The node's open WebSocket connections. */
  async connections(): Promise<number> {
    return (await this.command('connections', 'connections')).count ?? 0;
  }

  /** Stops the node and the harness. */
  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    const exited = new Promise((resolvePromise) => this.process.once('exit', resolvePromise));
    this.process.stdin.end('stop\n');
    await exited;
  }

  /**
   * A token from the node's development sign-in. Every sign-in there is a new user, so the harness signs in once per
   * pseudonym and role and renews that user's token afterwards: in a test, the same pseudonym is the same user.
   */
  async token(pseudonym: string, role = 'member'): Promise<string> {
    const key = `${pseudonym}/${role}`;
    const held = this.tokens.get(key);
    const token = await this.devToken(held ? { renew: held } : { pseudonym, role }, `${pseudonym}/${role}`);
    this.tokens.set(key, token);
    return token;
  }

  private readonly tokens = new Map<string, string>();

  private async devToken(request: object, who: string): Promise<string> {
    const response = await fetch(`${this.urls.http}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      // Generous: the suite shares two busy cores; a first request to a cold node can take seconds there.
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) {
      throw new Error(`dev sign-in refused ${who}: ${response.status} ${await response.text()}`);
    }
    return ((await response.json()) as { token: string }).token;
  }

  private async command(command: string, expected: string): Promise<HarnessEvent> {
    const answer = new Promise<HarnessEvent>((resolvePromise) => this.waiting.push(resolvePromise));
    this.process.stdin.write(`${command}\n`);
    const event = await answer;
    if (event.event !== expected) {
      throw new Error(`harness answered ${JSON.stringify(event)} to ${command}:\n${this.log.join('\n')}`);
    }
    return event;
  }

  private receive(line: string): void {
    if (!line.startsWith('{')) return;
    const event = JSON.parse(line) as HarnessEvent;
    const waiter = this.waiting.shift();
    if (waiter) waiter(event);
    else this.events.push(event);
  }
}
