/** The stand-in's attachment options: resolved as Discord sends them, the bytes served on loopback at their url. */
import { ApplicationCommandOptionType } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { startDiscordStandIn, type DiscordStandIn } from "./discord-stand-in/index.js";

let s: DiscordStandIn | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe("stand-in attachments", () => {
  it("puts an attachment option's file in data.resolved.attachments and serves its bytes at its url", async () => {
    s = await startDiscordStandIn();
    const file = s.upload("notes.txt", "hello\n", { contentType: "text/plain; charset=utf-8" });
    const interaction = s.slashCommand("corpus", [
      { type: ApplicationCommandOptionType.Subcommand, name: "add", options: [{ name: "file", type: ApplicationCommandOptionType.Attachment, value: file.id }] },
    ]);
    expect(interaction.data.resolved?.attachments?.[file.id]).toEqual({
      id: file.id,
      filename: "notes.txt",
      size: 6,
      url: file.url,
      proxy_url: file.url,
      ephemeral: true,
      content_type: "text/plain; charset=utf-8",
    });
    expect(new URL(file.url).hostname).toBe("127.0.0.1");
    expect(file.url).toContain(`/ephemeral-attachments/${s.applicationId}/${file.id}/notes.txt`);
    const response = await fetch(file.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("6");
    expect(await response.text()).toBe("hello\n");
    expect(s.attachments.downloads).toEqual([file.id]);
    expect((await fetch(file.url.replace(file.id, "1"))).status).toBe(404);
    expect(s.requests).toEqual([]); // not REST traffic
  });

  it("can declare another size than it has, and be served without a Content-Length", async () => {
    s = await startDiscordStandIn();
    const file = s.upload("big.txt", "x".repeat(10_000), { declaredSize: 10, chunked: 1000 });
    expect(file.size).toBe(10);
    const response = await fetch(file.url);
    expect(response.headers.get("content-length")).toBeNull();
    expect((await response.text()).length).toBe(10_000);
  });

  it("leaves interactions without attachment options as they were", async () => {
    s = await startDiscordStandIn();
    expect(s.slashCommand("ask", { question: "why?" }).data.resolved).toBeUndefined();
  });
});
