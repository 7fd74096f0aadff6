/**
 * LambdaMART (Burges 2010, "From RankNet to LambdaRank to LambdaMART"): gradient-boosted regression
 * trees whose gradients are RankNet's pairwise ones, each pair weighted by how much swapping it would
 * change NDCG. Leaves take a Newton step (sum of gradients over sum of second derivatives), as LightGBM's
 * lambdarank does. Trees grow leaf-wise (best gain first) to `leaves` leaves over features binned into at
 * most 255 quantile bins, with histograms (the larger child's by subtraction).
 *
 * Written here rather than taken from npm: the registry has no maintained JavaScript LambdaMART
 * (its gradient-boosting packages are scorers for models trained elsewhere, or classification only),
 * and this is about 230 lines. Output: the flat trees bench/ranker.ts scores.
 */
import type { RankerTree } from "./ranker.js";

/** Candidates of many questions, row-major: rows of question q are groupStart[q] .. groupStart[q+1]. */
export interface RankingData {
  features: number;
  x: Float64Array;
  label: Uint8Array;
  groupStart: Int32Array;
}

export interface LambdaMartOptions {
  trees: number;
  leaves: number;
  learningRate: number;
  /** Fewest training rows in a leaf. */
  minLeafRows: number;
  /** L2 penalty on leaf values (in the Newton step's denominator). */
  lambda: number;
  /** Feature columns the trees may split on (others are ignored). */
  allowed: readonly number[];
}

const MAX_BINS = 255;

interface Binned {
  /** Column-major bin numbers: bins[f * rows + r]. */
  bins: Uint8Array;
  /** Per feature, the largest value of each bin (a row goes left of bin k's split when value ≤ edges[k]). */
  edges: Float64Array[];
  /** Per feature, the smallest value of each bin (to place a threshold between bins). */
  lows: Float64Array[];
}

function binFeatures(data: RankingData, allowed: readonly number[]): Binned {
  const rows = data.label.length;
  const bins = new Uint8Array(data.features * rows);
  const edges: Float64Array[] = [];
  const lows: Float64Array[] = [];
  const column = new Float64Array(rows);
  for (const f of allowed) {
    for (let r = 0; r < rows; r++) column[r] = data.x[r * data.features + f]!;
    const sorted = Float64Array.from(column).sort();
    const distinct: number[] = [];
    for (const v of sorted) if (distinct.length === 0 || v !== distinct[distinct.length - 1]) distinct.push(v);
    let upper: number[];
    if (distinct.length <= MAX_BINS) upper = distinct;
    else {
      // Quantile edges: each bin ends at a value, so equal values never straddle two bins.
      upper = [];
      for (let k = 1; k <= MAX_BINS; k++) {
        const v = sorted[Math.min(rows - 1, Math.floor((k * rows) / MAX_BINS) - 1)]!;
        if (upper.length === 0 || v > upper[upper.length - 1]!) upper.push(v);
      }
      if (upper[upper.length - 1]! < sorted[rows - 1]!) upper.push(sorted[rows - 1]!);
    }
    const low = upper.map((_, k) => (k === 0 ? sorted[0]! : sorted[lowerBound(sorted, upper[k - 1]!, true)]!));
    edges[f] = Float64Array.from(upper);
    lows[f] = Float64Array.from(low);
    for (let r = 0; r < rows; r++) bins[f * rows + r] = lowerBound(edges[f]!, column[r]!, false);
  }
  return { bins, edges, lows };
}

/** First index whose value is ≥ v (strict: > v). */
function lowerBound(sorted: ArrayLike<number>, v: number, strict: boolean): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strict ? sorted[mid]! <= v : sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The shortest decimal t with low ≤ t < high: a threshold that reads well in JSON and splits the same. */
function threshold(low: number, high: number): number {
  for (let digits = 1; digits <= 17; digits++) {
    const t = Number(low.toPrecision(digits));
    if (t >= low && t < high) return t;
    const up = Number(((low + high) / 2).toPrecision(digits));
    if (up >= low && up < high) return up;
  }
  return low;
}

/** RankNet gradients weighted by |ΔNDCG| (binary relevance), and their second derivatives. */
function lambdas(data: RankingData, scores: Float64Array, grad: Float64Array, hess: Float64Array): void {
  grad.fill(0);
  hess.fill(0);
  const { groupStart, label } = data;
  for (let q = 0; q + 1 < groupStart.length; q++) {
    const from = groupStart[q]!, to = groupStart[q + 1]!;
    let positives = 0;
    for (let r = from; r < to; r++) positives += label[r]!;
    if (positives === 0 || positives === to - from) continue;
    const order = Array.from({ length: to - from }, (_, i) => from + i).sort((a, b) => scores[b]! - scores[a]! || a - b);
    const gain = new Float64Array(to - from);
    order.forEach((r, i) => (gain[r - from] = 1 / Math.log2(2 + i)));
    let ideal = 0;
    for (let i = 0; i < positives; i++) ideal += 1 / Math.log2(2 + i);
    for (let i = from; i < to; i++) {
      if (!label[i]) continue;
      const gainI = gain[i - from]!;
      for (let j = from; j < to; j++) {
        if (label[j]) continue;
        const delta = Math.abs(gainI - gain[j - from]!) / ideal;
        const rho = 1 / (1 + Math.exp(scores[i]! - scores[j]!));
        grad[i] = grad[i]! - rho * delta;
        grad[j] = grad[j]! + rho * delta;
        const h = rho * (1 - rho) * delta;
        hess[i] = hess[i]! + h;
        hess[j] = hess[j]! + h;
      }
    }
  }
}

interface Leaf {
  node: number;
  rows: Int32Array;
  /** Histograms per allowed feature: [gradient, hessian, count] × bins. */
  hist: Float64Array[];
  split?: { gain: number; feature: number; bin: number };
}

function histograms(binned: Binned, rowsTotal: number, allowed: readonly number[], rows: Int32Array, grad: Float64Array, hess: Float64Array): Float64Array[] {
  return allowed.map((f) => {
    const h = new Float64Array(3 * binned.edges[f]!.length);
    const offset = f * rowsTotal;
    for (const r of rows) {
      const k = 3 * binned.bins[offset + r]!;
      h[k] = h[k]! + grad[r]!;
      h[k + 1] = h[k + 1]! + hess[r]!;
      h[k + 2]!++;
    }
    return h;
  });
}

function bestSplit(leaf: Leaf, allowed: readonly number[], options: LambdaMartOptions): Leaf["split"] {
  let best: Leaf["split"];
  const h0 = leaf.hist[0]!;
  let G = 0, H = 0, N = 0;
  for (let k = 0; k < h0.length; k += 3) (G += h0[k]!), (H += h0[k + 1]!), (N += h0[k + 2]!);
  const parent = (G * G) / (H + options.lambda);
  allowed.forEach((f, a) => {
    const h = leaf.hist[a]!;
    let gl = 0, hl = 0, nl = 0;
    for (let k = 0; k + 3 < h.length; k += 3) {
      (gl += h[k]!), (hl += h[k + 1]!), (nl += h[k + 2]!);
      if (nl < options.minLeafRows) continue;
      if (N - nl < options.minLeafRows) break;
      const gr = G - gl, hr = H - hl;
      const gain = (gl * gl) / (hl + options.lambda) + (gr * gr) / (hr + options.lambda) - parent;
      if (gain > 1e-12 && (!best || gain > best.gain)) best = { gain, feature: f, bin: k / 3 };
    }
  });
  return best;
}

function growTree(data: RankingData, binned: Binned, grad: Float64Array, hess: Float64Array, options: LambdaMartOptions): { tree: RankerTree; leafOf: Int32Array } {
  const rowsTotal = data.label.length;
  const { allowed } = options;
  const tree: RankerTree = { feature: [-1], threshold: [0], left: [-1], right: [-1], value: [0] };
  const all = Int32Array.from({ length: rowsTotal }, (_, r) => r);
  const root: Leaf = { node: 0, rows: all, hist: histograms(binned, rowsTotal, allowed, all, grad, hess) };
  root.split = bestSplit(root, allowed, options);
  const leaves: Leaf[] = [root];
  while (leaves.length < options.leaves) {
    let pick = -1;
    leaves.forEach((l, i) => {
      if (l.split && (pick < 0 || l.split.gain > leaves[pick]!.split!.gain)) pick = i;
    });
    if (pick < 0) break;
    const leaf = leaves[pick]!;
    const { feature, bin } = leaf.split!;
    const offset = feature * rowsTotal;
    const leftRows = leaf.rows.filter((r) => binned.bins[offset + r]! <= bin);
    const rightRows = leaf.rows.filter((r) => binned.bins[offset + r]! > bin);
    const smallerIsLeft = leftRows.length <= rightRows.length;
    const smallHist = histograms(binned, rowsTotal, allowed, smallerIsLeft ? leftRows : rightRows, grad, hess);
    const largeHist = leaf.hist.map((h, a) => h.map((v, k) => v - smallHist[a]![k]!));
    const l = tree.feature.length, r = l + 1;
    for (const _ of [l, r]) tree.feature.push(-1), tree.threshold.push(0), tree.left.push(-1), tree.right.push(-1), tree.value.push(0);
    tree.feature[leaf.node] = feature;
    tree.threshold[leaf.node] = threshold(binned.edges[feature]![bin]!, binned.lows[feature]![bin + 1]!);
    tree.left[leaf.node] = l;
    tree.right[leaf.node] = r;
    const left: Leaf = { node: l, rows: leftRows, hist: smallerIsLeft ? smallHist : largeHist };
    const right: Leaf = { node: r, rows: rightRows, hist: smallerIsLeft ? largeHist : smallHist };
    left.split = bestSplit(left, allowed, options);
    right.split = bestSplit(right, allowed, options);
    leaves.splice(pick, 1, left, right);
  }
  const leafOf = new Int32Array(rowsTotal);
  for (const leaf of leaves) {
    let g = 0, h = 0;
    for (const r of leaf.rows) (g += grad[r]!), (h += hess[r]!), (leafOf[r] = leaf.node);
    tree.value[leaf.node] = (options.learningRate * -g) / (h + options.lambda);
  }
  return { tree, leafOf };
}

/**
 * Trains a tree ensemble; `onTree` sees each tree as it is added (for progress). With `initial`, the trees
 * learn corrections to those scores (one per row) instead of a ranking from nothing.
 */
export function trainLambdaMart(data: RankingData, options: LambdaMartOptions, initial?: Float64Array, onTree?: (done: number) => void): RankerTree[] {
  const rows = data.label.length;
  const binned = binFeatures(data, options.allowed);
  const scores = initial ? Float64Array.from(initial) : new Float64Array(rows);
  const grad = new Float64Array(rows);
  const hess = new Float64Array(rows);
  const trees: RankerTree[] = [];
  for (let t = 0; t < options.trees; t++) {
    lambdas(data, scores, grad, hess);
    const { tree, leafOf } = growTree(data, binned, grad, hess, options);
    for (let r = 0; r < rows; r++) scores[r] = scores[r]! + tree.value[leafOf[r]!]!;
    trees.push(tree);
    onTree?.(t + 1);
  }
  return trees.map((tree) => ({ ...tree, value: tree.value.map((v) => Number(v.toPrecision(6))) }));
}
