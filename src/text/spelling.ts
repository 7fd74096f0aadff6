/**
 * One spelling for words English spells two ways, so that a question meets the corpus however either is
 * spelt: "defense" and "defence", "kilometers" and "kilometres", "organize" and "organise", "dialed" and
 * "dialled". Applied to every word of corpus and question alike, before stemming, so a merge only has to be
 * harmless, not a real word: "organize" becomes "organise" and "analyze" "analyse" (British), while "center"
 * and "centre" both become "center" (American: the rule is simpler that way round).
 * Without it, porter2 keeps each pair apart ("defens"/"defenc", "kilomet"/"kilometr", "organ"/"organis").
 */

/** -ize → -ise, -yze → -yse, with their inflections ("organization", "realized", "analyzing"); three letters before, so "size" and "prize" stay. */
const IZE = /^([a-z]{3,})iz(e|es|ed|ing|ation|ations|er|ers)$/;
const YZE = /^([a-z]{2,})yz(e|es|ed|ing|er|ers)$/;
/** colour → color and the like, with their derivations ("favourite", "neighbourhood", "armoured"). */
const OUR =
  /^(col|fav|hon|lab|behavi|neighb|harb|rum|arm|vap|flav|hum|endeav|od|parl|sav|val|vig|clam|tum|splend|ard|rig|cand)our/;
/** centre → center, kilometres → kilometers, theatre → theater, centred → centered. */
const RE = /^(cent|theat|met|kilomet|centimet|millimet|lit|fib|calib|somb|spect|lust|meag|sab|goit|mit)re(s|d)?$/;
/** defence → defense, offence, licence, pretence. */
const ENCE = /^(defen|offen|licen|preten)c(e|es|eless)$/;
/** catalogue → catalog, dialogue, analogue. */
const OGUE = /^(catal|dial|anal|monol|prol|epil|travel|demag|pedag)ogue(s|d)?$/;

/** Pairs no rule covers. */
const WORDS: ReadonlyMap<string, string> = new Map([
  ["programme", "program"],
  ["programmes", "programs"],
  ["grey", "gray"],
  ["greys", "grays"],
  ["aluminium", "aluminum"],
  ["sceptic", "skeptic"],
  ["sceptics", "skeptics"],
  ["sceptical", "skeptical"],
  ["scepticism", "skepticism"],
  ["mould", "mold"],
  ["moulds", "molds"],
  ["plough", "plow"],
  ["ageing", "aging"],
  ["judgement", "judgment"],
  ["judgements", "judgments"],
  ["acknowledgement", "acknowledgment"],
  ["jewellery", "jewelry"],
  ["manoeuvre", "maneuver"],
  ["manoeuvres", "maneuvers"],
  ["manoeuvred", "maneuvered"],
  ["pyjamas", "pajamas"],
  ["moustache", "mustache"],
  ["cheque", "check"],
  ["cheques", "checks"],
  ["kerb", "curb"],
  ["whisky", "whiskey"],
  ["encyclopaedia", "encyclopedia"],
  ["paediatric", "pediatric"],
  ["oestrogen", "estrogen"],
  ["foetus", "fetus"],
  ["anaemia", "anemia"],
  ["haemorrhage", "hemorrhage"],
  ["diarrhoea", "diarrhea"],
  ["archaeology", "archeology"],
  ["practise", "practice"],
  ["practises", "practices"],
  ["practised", "practiced"],
  ["practising", "practicing"],
  ["skilful", "skillful"],
  ["wilful", "willful"],
  ["cosy", "cozy"],
  ["aeroplane", "airplane"],
  ["aeroplanes", "airplanes"],
  ["sulphur", "sulfur"],
  ["artefact", "artifact"],
  ["artefacts", "artifacts"],
  ["counsellor", "counselor"],
  ["counsellors", "counselors"],
  ["woollen", "woolen"],
  ["amongst", "among"],
  // British past forms in -t.
  ["learnt", "learned"],
  ["spelt", "spelled"],
  ["burnt", "burned"],
  ["dreamt", "dreamed"],
  ["spoilt", "spoiled"],
  // Clipped words, as people write them in chat ("the army's comms", "how many km").
  ["comms", "communications"],
  ["govt", "government"],
  ["dept", "department"],
  ["convo", "conversation"],
  ["approx", "approximately"],
  ["mins", "minutes"],
  ["hrs", "hours"],
  ["yrs", "years"],
  ["secs", "seconds"],
  ["km", "kilometers"],
  ["kms", "kilometers"],
  ["intl", "international"],
  ["mgmt", "management"],
  ["pics", "pictures"],
  ["vids", "videos"],
]);

/** The word in its one spelling; most words come back as they are. `word` is lower case. */
export function oneSpelling(word: string): string {
  const listed = WORDS.get(word);
  if (listed !== undefined) return listed;
  // Each rule in turn, so that a word two rules touch gets both ("colourized" → "colorised"). Cheap checks
  // first: nearly every word skips every regex.
  let one = word;
  if (one.includes("our")) one = one.replace(OUR, "$1or");
  if (one.includes("iz")) one = one.replace(IZE, "$1is$2");
  if (one.includes("yz")) one = one.replace(YZE, "$1ys$2");
  if (one.endsWith("re") || one.endsWith("res") || one.endsWith("red")) one = one.replace(RE, (_, root: string, end = "") => `${root}er${end === "d" ? "ed" : end}`);
  if (one.includes("ence")) one = one.replace(ENCE, "$1s$2");
  if (one.includes("ogue")) one = one.replace(OGUE, "$1og$2");
  return one;
}

/**
 * porter2 keeps a doubled l after two vowels ("dialled" → "diall", "fuelled" → "fuell") while "dial",
 * "dialed" and "dialing" give "dial": one l is dropped from every such stem, corpus and question alike.
 */
export function oneStem(stemmed: string): string {
  const n = stemmed.length;
  return n >= 4 && stemmed.endsWith("ll") && isVowel(stemmed.charCodeAt(n - 3)) && isVowel(stemmed.charCodeAt(n - 4)) ? stemmed.slice(0, -1) : stemmed;
}

const isVowel = (c: number) => c === 97 || c === 101 || c === 105 || c === 111 || c === 117;
