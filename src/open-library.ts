/** The library as the settings describe it: the corpus folder, and the semantic stage unless SEMANTIC=off. Shared by the bot, the console and `ask`. */
import type { Config } from "./config.js";
import { Library } from "./corpus/library.js";
import { SemanticStage, type SemanticStageOptions } from "./semantic/stage.js";
import { startUseLiteEncoder } from "./semantic/use-lite.js";

export async function openLibrary(config: Config, onSemanticEvent?: SemanticStageOptions["onEvent"], corpusDir = config.corpusDir): Promise<Library> {
  // The encoder starts loading first: its worker thread works while this one reads the corpus.
  const semantic = config.semantic ? new SemanticStage(startUseLiteEncoder(), { ...(onSemanticEvent && { onEvent: onSemanticEvent }) }) : undefined;
  try {
    return await Library.open({ corpusDir, maxFileBytes: config.maxFileBytes, maxQuestionChars: config.maxQuestionChars, ...(semantic && { semantic }) });
  } catch (error) {
    await semantic?.close();
    throw error;
  }
}
