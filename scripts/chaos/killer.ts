import type { ChaosCluster } from './cluster';

/** Kills an APIUP instance (any of them, at random) with SIGKILL at random moments (every 1.5–5 s) and starts it again. */
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
        const instance = Math.floor(this.random() * this.cluster.instances);
        await this.cluster.killServer(instance);
        await new Promise((r) => setTimeout(r, this.random() * 500));
        await this.cluster.startServer(instance);
        this.log(`  kill -9 #${this.cluster.kills}${this.cluster.instances > 1 ? ` (instance ${instance + 1})` : ''}, restarted`);
      }
    })();
  }

  /** Stops killing; APIUP is left running. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
