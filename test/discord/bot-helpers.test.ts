import { GatewayIntentBits, PermissionFlagsBits } from "discord.js";
import { describe, expect, it } from "vitest";
import { BOT_PERMISSIONS, gatewayIntents, inviteUrl } from "../../src/discord/bot.js";
import { questionFromMessage } from "../../src/discord/handlers/messages.js";
import { applicationIdFromToken } from "../../src/discord/register.js";
import { createLogger } from "../../src/log.js";

describe("invite URL and intents", () => {
  it("asks for bot + applications.commands and only the permissions the bot needs", () => {
    const url = new URL(inviteUrl("123456789012345678"));
    expect(url.origin).toBe("https://discord.com");
    expect(url.pathname).toMatch(/^(\/api(\/v\d+)?)?\/oauth2\/authorize$/);
    expect(url.searchParams.get("client_id")).toBe("123456789012345678");
    expect(url.searchParams.get("scope")).toBe("bot applications.commands");
    const permissions = BigInt(url.searchParams.get("permissions") ?? "0");
    expect(permissions).toBe(
      PermissionFlagsBits.ViewChannel |
        PermissionFlagsBits.SendMessages |
        PermissionFlagsBits.SendMessagesInThreads |
        PermissionFlagsBits.CreatePublicThreads |
        PermissionFlagsBits.AttachFiles |
        PermissionFlagsBits.EmbedLinks |
        PermissionFlagsBits.ReadMessageHistory,
    );
    expect(permissions).toBe(BOT_PERMISSIONS);
    expect(permissions & PermissionFlagsBits.Administrator).toBe(0n);
    expect(permissions & PermissionFlagsBits.MentionEveryone).toBe(0n);
  });

  it("requests Message Content only when ask channels need it", () => {
    expect(gatewayIntents(false)).toEqual([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages]);
    expect(gatewayIntents(true)).toContain(GatewayIntentBits.MessageContent);
  });
});

describe("questionFromMessage", () => {
  it("removes the bot's user and role mentions, keeps everything else", () => {
    expect(questionFromMessage("<@111111111111111111> how was the call intercepted?", "111111111111111111")).toBe("how was the call intercepted?");
    expect(questionFromMessage("hey <@!111111111111111111>,  why?\n", "111111111111111111")).toBe("hey , why?");
    expect(questionFromMessage("<@&222222222222222222> who? <@333333333333333333>", "111111111111111111", "222222222222222222")).toBe("who? <@333333333333333333>");
    expect(questionFromMessage("<@111111111111111111>", "111111111111111111")).toBe("");
  });
});

describe("applicationIdFromToken", () => {
  it("reads the bot id from the token's first segment", () => {
    const id = "123456789012345678";
    expect(applicationIdFromToken(`${Buffer.from(id).toString("base64")}.GhIjKl.abcdef`)).toBe(id);
    expect(applicationIdFromToken("not-a-token")).toBeUndefined();
  });
});

describe("createLogger", () => {
  it("redacts token-like fields", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info" }, { write: (l: string) => void lines.push(l) });
    logger.info({ token: "SECRET1", config: { discordToken: "SECRET2" }, headers: { authorization: "Bot SECRET3" } }, "hello");
    const out = lines.join("");
    expect(out).toContain("hello");
    expect(out).not.toMatch(/SECRET/);
    expect(out).toContain("[redacted]");
  });
});
