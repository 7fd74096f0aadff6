/**
 * Discord's message and interaction limits, in one place.
 * https://discord.com/developers/docs/resources/message#embed-object-embed-limits
 * Lengths are counted in UTF-16 code units (JavaScript's `length`), which is never less than Discord's count.
 */
export const DiscordLimits = {
  /** Characters of a message's `content`. */
  content: 2000,
  /** Embeds per message. */
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthorName: 256,
  /** Sum of title, description, field names and values, footer text and author name over all embeds of one message. */
  embedsTotal: 6000,
  /** A component's custom_id. */
  customId: 100,
  /** Buttons per action row, and action rows per message. */
  buttonsPerRow: 5,
  actionRows: 5,
  /** Autocomplete: choices per response, and characters of a choice's name and of a string value. */
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  /** Seconds to acknowledge an interaction (reply or defer). */
  interactionAckSeconds: 3,
} as const;
