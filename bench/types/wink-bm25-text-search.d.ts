// wink-bm25-text-search ships no type declarations; this covers the part of its API the bench uses.
declare module "wink-bm25-text-search" {
  type PrepTask = (input: any) => any;

  interface WinkBM25Engine {
    defineConfig(config: {
      fldWeights: Record<string, number>;
      bm25Params?: { k1?: number; b?: number; k?: number };
      ovFldNames?: string[];
    }): boolean;
    definePrepTasks(tasks: PrepTask[], field?: string): number;
    addDoc(doc: Record<string, string>, uniqueId: string | number): number;
    consolidate(fp?: number): boolean;
    /** [uniqueId, score] pairs, best first; ids come back as strings. */
    search(text: string, limit?: number): [string, number][];
    exportJSON(): string;
    importJSON(json: string): boolean;
    reset(): boolean;
  }

  function bm25(): WinkBM25Engine;
  export default bm25;
}
