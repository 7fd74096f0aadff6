/**
 * A short list of English function words that carry no topic.
 *
 * Deliberately shorter than wink-nlp's own list: measured on the SQuAD data (shared/RESEARCH.md),
 * wink's list drops words that questions hinge on ("first", "three", "last", "name", "most"),
 * and this list scores better (Hit@1 +0.010). Question words are here too: they say what kind
 * of answer is wanted, not what it is about. So is chat spelling without apostrophes ("whats", "dont",
 * which wink-nlp splits into "do" + "nt", "im", "u"): it is how questions are typed on Discord.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a an the and or nor but if then else so than that this these those there here
   i me my mine myself we us our ours ourselves you your yours yourself yourselves
   he him his himself she her hers herself it its itself they them their theirs themselves
   what which who whom whose when where why how whether
   am is are was were be been being have has had having do does did doing done
   will would shall should can could may might must ought
   of at by for with about against between into through during before after above below
   to from up down in out on off over under again further once
   as until while whilst because since unless although though
   all any both each few more other some such no not only own same too very
   just also even ever still yet already
   s t d ll m re ve 's 'll 're 've 'd 'm n't
   can't won't don't isn't aren't wasn't weren't hasn't haven't hadn't doesn't didn't
   shouldn't wouldn't couldn't mustn't
   one's onto upon via per
   whats whos hows wheres whens whys thats theres heres im ive id youre theyre
   dont doesnt didnt isnt arent wasnt werent cant wont shouldnt wouldnt couldnt hasnt havent hadnt nt ca wo
   i'm y'all ai u ur pls plz
   etc ie eg`.split(/\s+/).filter(Boolean),
);
