/**
 * Tells the ShardingManager when this shard's client is ready, disconnected, reconnecting or resumed, which the
 * manager waits for when it starts shards and which the relay reads to know whom it can reach. discord.js's
 * ShardClientUtil does this for the first client of a process only (it is one per process), and reports every
 * close as a disconnect. The bot makes a second client when Discord refuses the Message Content intent (close
 * 4014) and reconnects without it: reported as a disconnect, that close made the manager give the shard up as
 * failed to start, and the second client's READY never reached the manager. So every client the bot makes
 * reports for itself, and the close the bot recovers from itself is not reported.
 */
import { Events, type Client } from "discord.js";

export function reportReadiness(client: Client, options: { recoversFrom(closeCode: number): boolean }): void {
  if (client.shard === null || process.send === undefined) return;
  // The first client carries ShardClientUtil's own reporters (and only they, right after construction): replaced.
  for (const event of [Events.ShardReady, Events.ShardDisconnect, Events.ShardReconnecting, Events.ShardResume] as const) client.removeAllListeners(event);
  const send = (message: Record<string, true>) => {
    if (process.connected) process.send?.(message);
  };
  client.on(Events.ShardReady, () => send({ _ready: true }));
  client.on(Events.ShardResume, () => send({ _resume: true }));
  client.on(Events.ShardReconnecting, () => send({ _reconnecting: true }));
  client.on(Events.ShardDisconnect, (event) => {
    if (!options.recoversFrom(event.code)) send({ _disconnect: true });
  });
}
