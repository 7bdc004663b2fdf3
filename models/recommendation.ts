/**
 * Recommendation models: their dense parts (MLPs, attention units, feature interactions)
 * from the papers' and reference implementations' configurations, and their embedding
 * tables as look-ups (kind `other`: the cost model does not model them). `rows` = batch:
 * at batch 1 every dense layer is a fully connected job, as in the MAGMA groups.
 */
import { SeqBuilder } from './net.js';

export interface RecInput {
  readonly batch: number;
}

/** Dense layers `dims[0] -> dims[1] -> ...` named `${prefix}.${i}`, ReLU between them. */
function mlp(b: SeqBuilder, prefix: string, dims: readonly number[], rows: number, lastAct: string): void {
  for (let i = 0; i + 1 < dims.length; i++) {
    b.linear(`${prefix}.${i}`, dims[i]!, dims[i + 1]!, rows);
    b.other(`${prefix}.${i}.act`, i + 2 === dims.length ? lastAct : 'relu');
  }
}

// ---------------------------------------------------------------------------------------
// DLRM (Naumov et al. 2019), the reference implementation's Criteo Kaggle configuration
// (--arch-sparse-feature-size=16 --arch-mlp-bot="13-512-256-64-16" --arch-mlp-top="512-256-1",
// dot interaction without self-pairs): 13 dense features, 26 categorical tables.

export const DLRM_KAGGLE_TABLE_ROWS: readonly number[] = [
  1460, 583, 10131227, 2202608, 305, 24, 12517, 633, 3, 93145, 5683, 8351593, 3194, 27, 14992, 5461306, 10,
  5652, 2173, 4, 7046547, 18, 15, 286181, 105, 142572,
];
export const DLRM_KAGGLE = {
  dense: 13,
  sparseDim: 16,
  bottom: [512, 256, 64, 16],
  top: [512, 256, 1],
  tables: DLRM_KAGGLE_TABLE_ROWS,
} as const;

export function dlrm(x: RecInput): SeqBuilder {
  const cfg = DLRM_KAGGLE;
  const b = new SeqBuilder();
  mlp(b, 'bot_l', [cfg.dense, ...cfg.bottom], x.batch, 'relu');
  cfg.tables.forEach((rows, k) => {
    b.other(`emb_l.${k}`, 'embedding-bag', rows * cfg.sparseDim);
  });
  // Pairwise dot products of the 27 feature vectors (bottom output + 26 embeddings).
  const vectors = cfg.tables.length + 1;
  b.matmul('interaction', vectors, vectors, cfg.sparseDim, x.batch);
  b.other('interaction.concat', 'concat');
  const pairs = (vectors * (vectors - 1)) / 2;
  mlp(b, 'top_l', [cfg.sparseDim + pairs, ...cfg.top], x.batch, 'sigmoid');
  return b;
}

// ---------------------------------------------------------------------------------------
// NCF / NeuMF (He et al. 2017), the MLPerf reference on MovieLens-20M: GMF with 64-d
// factors beside an MLP 256-256-128-64 on two 128-d embeddings, joined by a 128 -> 1 layer.

export const NCF_ML20M = {
  users: 138493,
  items: 26744,
  mfDim: 64,
  mlp: [256, 256, 128, 64],
} as const;

export function ncf(x: RecInput): SeqBuilder {
  const cfg = NCF_ML20M;
  const half = cfg.mlp[0] / 2;
  const b = new SeqBuilder();
  b.other('mf_user_embed', 'embedding', cfg.users * cfg.mfDim);
  b.other('mf_item_embed', 'embedding', cfg.items * cfg.mfDim);
  b.other('mlp_user_embed', 'embedding', cfg.users * half);
  b.other('mlp_item_embed', 'embedding', cfg.items * half);
  b.other('gmf', 'elementwise-product');
  mlp(b, 'mlp', cfg.mlp, x.batch, 'relu');
  b.other('concat', 'concat');
  b.linear('final', cfg.mfDim + cfg.mlp[cfg.mlp.length - 1]!, 1, x.batch).other('final.act', 'sigmoid');
  return b;
}

// ---------------------------------------------------------------------------------------
// Wide & Deep (Cheng et al. 2016), the Google Play model of section 4: 32-d embeddings and
// dense features concatenated into about 1200 inputs, ReLU layers 1024-512-256, one
// logistic output joined with the wide (cross-product) part.

export const WIDE_DEEP = { inputs: 1200, deep: [1024, 512, 256] } as const;

/** The paper does not give its vocabularies: embedding and wide weights are not counted. */
export function wideDeep(x: RecInput): SeqBuilder {
  const b = new SeqBuilder();
  b.other('deep.embeddings', 'embedding (sizes unpublished, not counted)');
  b.other('wide', 'sparse-linear (sizes unpublished, not counted)');
  mlp(b, 'deep', [WIDE_DEEP.inputs, ...WIDE_DEEP.deep], x.batch, 'relu');
  return b
    .linear('output', WIDE_DEEP.deep[WIDE_DEEP.deep.length - 1]!, 1, x.batch)
    .other('output.act', 'sigmoid');
}

// ---------------------------------------------------------------------------------------
// DIN (Zhou et al. 2018), Fig. 2: a local activation unit scores each of the user's past
// behaviours against the candidate ad (inputs: behaviour, ad, their difference and product;
// hidden 36), the weighted sum pools them, and an MLP 200-80-2 predicts.

export const DIN = {
  /** The paper's Amazon (Electronics) data set: goods and categories (Table 1). */
  goods: 63001,
  categories: 801,
  /** Goods and category embeddings of 18 each, as the paper's figure draws them. */
  fieldDim: 18,
  /** Past behaviours per user: the sequence length of the attention. */
  history: 50,
  activationHidden: 36,
  /** Final MLP input: user profile, pooled interest, candidate ad, context (one item width each). */
  mlp: [144, 200, 80, 2],
} as const;
const DIN_ITEM_DIM = 2 * DIN.fieldDim;
const DIN_ACTIVATION_INPUTS = 4;

export function din(x: RecInput): SeqBuilder {
  const b = new SeqBuilder();
  b.other('goods_embedding', 'embedding', DIN.goods * DIN.fieldDim);
  b.other('category_embedding', 'embedding', DIN.categories * DIN.fieldDim);
  const rows = DIN.history * x.batch;
  b.linear('attention.fc1', DIN_ACTIVATION_INPUTS * DIN_ITEM_DIM, DIN.activationHidden, rows);
  b.other('attention.fc1.act', 'dice');
  b.linear('attention.fc2', DIN.activationHidden, 1, rows);
  b.other('attention.pool', 'weighted-sum');
  mlp(b, 'mlp', DIN.mlp, x.batch, 'softmax');
  return b;
}
