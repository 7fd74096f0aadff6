/**
 * Tells the ShardingManager when this shard's client is ready, disconnected, reconnecting or resumed, which the
 * manager waits for when it starts shards and which the relay reads to know whom it can reach. discord.js's
 * ShardClientUtil, one per process, does this for the first client only. The bot makes a second client when
 * Discord refuses the Message Content intent (close 4014) and reconnects without it; that client's READY never
 * reached the manager, which then counted the shard as never started. So a later client reports for itself.
 */
import { Events, type Client } from "discord.js";

export function reportReadiness(client: Client): void {
  if (client.shard === null || client.shard.client === client || process.send === undefined) return;
  const send = (message: Record<string, true>) => {
    if (process.connected) process.send?.(message);
  };
  client.on(Events.ShardReady, () => send({ _ready: true }));
  client.on(Events.ShardResume, () => send({ _resume: true }));
  client.on(Events.ShardReconnecting, () => send({ _reconnecting: true }));
  client.on(Events.ShardDisconnect, () => send({ _disconnect: true }));
}
