/**
 * wink-bm25-text-search, prepared with wink-nlp as its README shows: word tokens only, stop words
 * removed, negation marked with "!", Porter stems; BM25 defaults (k1 1.2, b 0.75).
 */
import bm25 from "wink-bm25-text-search";
import winkNLP, { type ItemToken, type ItsFunction } from "wink-nlp";
import model from "wink-eng-lite-web-model";
import type { AdapterFactory } from "../adapter.js";

const createAdapter: AdapterFactory = () => {
  const nlp = winkNLP(model);
  const its = nlp.its;
  // wink-nlp's typings declare its.stem with an addons parameter that out() does not accept; it works as documented.
  const stem = its.stem as unknown as ItsFunction<string>;
  // The README's prepTask, verbatim in behaviour.
  const prepTask = (text: string): string[] => {
    const tokens: string[] = [];
    nlp
      .readDoc(text)
      .tokens()
      .filter((t: ItemToken) => t.out(its.type) === "word" && !t.out(its.stopWordFlag))
      .each((t: ItemToken) => tokens.push(t.out(its.negationFlag) ? "!" + t.out(stem) : t.out(stem)));
    return tokens;
  };
  const engine = bm25();
  engine.defineConfig({ fldWeights: { text: 1 } });
  engine.definePrepTasks([prepTask]);

  return {
    name: "wink-bm25-text-search",
    config: "README prepTask (wink-nlp words, −stop words, stems), BM25 defaults",
    build(sentences, onProgress) {
      sentences.forEach((s, i) => {
        engine.addDoc({ text: s.text }, i);
        if (i % 10_000 === 0) onProgress?.(i);
      });
      engine.consolidate(); // required before search; needs ≥ 3 documents
    },
    search(question, k) {
      return engine.search(question, k).map(([id]) => Number(id));
    },
  };
};
export default createAdapter;
