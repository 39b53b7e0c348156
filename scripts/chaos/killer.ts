import type { ChaosCluster } from './cluster';

/** Kills APIUP with SIGKILL at random moments (every 1.5–5 s) and starts it again. */
export class Killer {
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly cluster: ChaosCluster,
    private readonly random: () => number,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await new Promise((r) => setTimeout(r, 1_500 + this.random() * 3_500));
        if (!this.running) break;
        await this.cluster.killServer();
        await new Promise((r) => setTimeout(r, this.random() * 500));
        await this.cluster.startServer();
        this.log(`  kill -9 #${this.cluster.kills}, restarted`);
      }
    })();
  }

  /** Stops killing; APIUP is left running. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
