/**
 * Language models, defined by their papers' and HuggingFace configurations (hidden size,
 * layers, heads, feed-forward width, vocabulary). Each is the base model (BertModel,
 * GPT2Model, T5Model, XLMModel, CTRLModel, AlbertModel, MobileBertModel): no task head.
 * `rows` = batch x tokens is the M of every dense layer; attention products are listed
 * per sequence and head (`count` = batch x heads).
 */
import { SeqBuilder } from './net.js';

export interface SeqInput {
  readonly tokens: number;
  readonly batch: number;
}

/** Scores (T x dh)(dh x T) and context (T x T)(T x dh) of multi-head attention. */
function attention(b: SeqBuilder, p: string, x: SeqInput, heads: number, headDim: number): void {
  const count = heads * x.batch;
  b.matmul(`${p}.scores`, x.tokens, x.tokens, headDim, count);
  b.other(`${p}.softmax`, 'softmax');
  b.matmul(`${p}.context`, x.tokens, headDim, x.tokens, count);
}

/** LayerNorm with a scale and a shift per feature. */
const LN = 2;

// ---------------------------------------------------------------------------------------
// BERT (Devlin et al. 2019): post-LN encoder with a pooler on the first token.

export interface BertConfig {
  readonly vocab: number;
  readonly hidden: number;
  readonly layers: number;
  readonly heads: number;
  readonly intermediate: number;
  readonly maxPositions: number;
  readonly typeVocab: number;
}
const BERT_VOCAB = 30522;
const BERT_MAX_POSITIONS = 512;
export const BERT_BASE: BertConfig = {
  vocab: BERT_VOCAB,
  hidden: 768,
  layers: 12,
  heads: 12,
  intermediate: 3072,
  maxPositions: BERT_MAX_POSITIONS,
  typeVocab: 2,
};
export const BERT_LARGE: BertConfig = {
  ...BERT_BASE,
  hidden: 1024,
  layers: 24,
  heads: 16,
  intermediate: 4096,
};

export function bert(cfg: BertConfig, x: SeqInput): SeqBuilder {
  const H = cfg.hidden;
  const rows = x.tokens * x.batch;
  const b = new SeqBuilder();
  b.other('embeddings.word_embeddings', 'embedding', cfg.vocab * H);
  b.other('embeddings.position_embeddings', 'embedding', cfg.maxPositions * H);
  b.other('embeddings.token_type_embeddings', 'embedding', cfg.typeVocab * H);
  b.other('embeddings.LayerNorm', 'layernorm', LN * H);
  for (let i = 0; i < cfg.layers; i++) {
    const p = `encoder.layer.${i}`;
    b.linear(`${p}.attention.self.query`, H, H, rows);
    b.linear(`${p}.attention.self.key`, H, H, rows);
    b.linear(`${p}.attention.self.value`, H, H, rows);
    attention(b, `${p}.attention.self`, x, cfg.heads, H / cfg.heads);
    b.linear(`${p}.attention.output.dense`, H, H, rows).other(
      `${p}.attention.output.LayerNorm`,
      'layernorm',
      LN * H,
    );
    b.linear(`${p}.intermediate.dense`, H, cfg.intermediate, rows).other(`${p}.intermediate.act`, 'gelu');
    b.linear(`${p}.output.dense`, cfg.intermediate, H, rows).other(
      `${p}.output.LayerNorm`,
      'layernorm',
      LN * H,
    );
  }
  return b.linear('pooler.dense', H, H, x.batch).other('pooler.activation', 'tanh');
}

// ---------------------------------------------------------------------------------------
// GPT-2 (Radford et al. 2019), smallest released model: pre-LN decoder, fused QKV.

const GPT2 = { vocab: 50257, positions: 1024, hidden: 768, layers: 12, heads: 12 } as const;
const GPT2_FFN_FACTOR = 4;
const QKV = 3;

export function gpt2(x: SeqInput): SeqBuilder {
  const H = GPT2.hidden;
  const rows = x.tokens * x.batch;
  const b = new SeqBuilder();
  b.other('wte', 'embedding', GPT2.vocab * H).other('wpe', 'embedding', GPT2.positions * H);
  for (let i = 0; i < GPT2.layers; i++) {
    const p = `h.${i}`;
    b.other(`${p}.ln_1`, 'layernorm', LN * H);
    b.linear(`${p}.attn.c_attn`, H, QKV * H, rows);
    attention(b, `${p}.attn`, x, GPT2.heads, H / GPT2.heads);
    b.linear(`${p}.attn.c_proj`, H, H, rows);
    b.other(`${p}.ln_2`, 'layernorm', LN * H);
    b.linear(`${p}.mlp.c_fc`, H, GPT2_FFN_FACTOR * H, rows).other(`${p}.mlp.act`, 'gelu');
    b.linear(`${p}.mlp.c_proj`, GPT2_FFN_FACTOR * H, H, rows);
  }
  return b.other('ln_f', 'layernorm', LN * H);
}

// ---------------------------------------------------------------------------------------
// T5 (Raffel et al. 2020): encoder-decoder, no biases, RMS norms (scale only), relative
// position biases in the first block of each stack. The decoder is run teacher-forced on
// as many tokens as the encoder.

export interface T5Config {
  readonly vocab: number;
  readonly dModel: number;
  readonly dKv: number;
  readonly dFf: number;
  readonly layers: number;
  readonly heads: number;
  readonly relativeBuckets: number;
}
export const T5_SMALL: T5Config = {
  vocab: 32128,
  dModel: 512,
  dKv: 64,
  dFf: 2048,
  layers: 6,
  heads: 8,
  relativeBuckets: 32,
};

export function t5(cfg: T5Config, x: SeqInput): SeqBuilder {
  const d = cfg.dModel;
  const inner = cfg.heads * cfg.dKv;
  const rows = x.tokens * x.batch;
  const b = new SeqBuilder();
  b.other('shared', 'embedding', cfg.vocab * d);
  const attn = (p: string, block: number, relative: boolean) => {
    b.linear(`${p}.q`, d, inner, rows, false);
    b.linear(`${p}.k`, d, inner, rows, false);
    b.linear(`${p}.v`, d, inner, rows, false);
    if (relative && block === 0)
      b.other(`${p}.relative_attention_bias`, 'embedding', cfg.relativeBuckets * cfg.heads);
    attention(b, p, x, cfg.heads, cfg.dKv);
    b.linear(`${p}.o`, inner, d, rows, false);
  };
  const ffn = (p: string) => {
    b.linear(`${p}.DenseReluDense.wi`, d, cfg.dFf, rows, false).other(`${p}.DenseReluDense.act`, 'relu');
    b.linear(`${p}.DenseReluDense.wo`, cfg.dFf, d, rows, false).other(`${p}.layer_norm`, 'rmsnorm', d);
  };
  for (let i = 0; i < cfg.layers; i++) {
    const p = `encoder.block.${i}.layer`;
    attn(`${p}.0.SelfAttention`, i, true);
    b.other(`${p}.0.layer_norm`, 'rmsnorm', d);
    ffn(`${p}.1`);
  }
  b.other('encoder.final_layer_norm', 'rmsnorm', d);
  for (let i = 0; i < cfg.layers; i++) {
    const p = `decoder.block.${i}.layer`;
    attn(`${p}.0.SelfAttention`, i, true);
    b.other(`${p}.0.layer_norm`, 'rmsnorm', d);
    attn(`${p}.1.EncDecAttention`, i, false);
    b.other(`${p}.1.layer_norm`, 'rmsnorm', d);
    ffn(`${p}.2`);
  }
  return b.other('decoder.final_layer_norm', 'rmsnorm', d);
}

// ---------------------------------------------------------------------------------------
// XLM (Lample & Conneau 2019), the English MLM model xlm-mlm-en-2048.

const XLM_EN_2048 = { vocab: 30145, positions: 512, hidden: 2048, layers: 12, heads: 16 } as const;
const XLM_FFN_FACTOR = 4;

export function xlm(x: SeqInput): SeqBuilder {
  const H = XLM_EN_2048.hidden;
  const F = XLM_FFN_FACTOR * H;
  const rows = x.tokens * x.batch;
  const b = new SeqBuilder();
  b.other('embeddings', 'embedding', XLM_EN_2048.vocab * H);
  b.other('position_embeddings', 'embedding', XLM_EN_2048.positions * H);
  b.other('layer_norm_emb', 'layernorm', LN * H);
  for (let i = 0; i < XLM_EN_2048.layers; i++) {
    b.linear(`attentions.${i}.q_lin`, H, H, rows);
    b.linear(`attentions.${i}.k_lin`, H, H, rows);
    b.linear(`attentions.${i}.v_lin`, H, H, rows);
    attention(b, `attentions.${i}`, x, XLM_EN_2048.heads, H / XLM_EN_2048.heads);
    b.linear(`attentions.${i}.out_lin`, H, H, rows).other(`layer_norm1.${i}`, 'layernorm', LN * H);
    b.linear(`ffns.${i}.lin1`, H, F, rows).other(`ffns.${i}.act`, 'gelu');
    b.linear(`ffns.${i}.lin2`, F, H, rows).other(`layer_norm2.${i}`, 'layernorm', LN * H);
  }
  return b;
}

// ---------------------------------------------------------------------------------------
// CTRL (Keskar et al. 2019): 48 pre-LN layers, sinusoidal positions, 246k-token vocabulary.

const CTRL = { vocab: 246534, hidden: 1280, layers: 48, heads: 16, dff: 8192 } as const;

export function ctrl(x: SeqInput): SeqBuilder {
  const H = CTRL.hidden;
  const rows = x.tokens * x.batch;
  const b = new SeqBuilder();
  b.other('w', 'embedding', CTRL.vocab * H).other('pos_encoding', 'sinusoidal-positions');
  for (let i = 0; i < CTRL.layers; i++) {
    const p = `h.${i}`;
    b.other(`${p}.layernorm1`, 'layernorm', LN * H);
    b.linear(`${p}.multi_head_attention.Wq`, H, H, rows);
    b.linear(`${p}.multi_head_attention.Wk`, H, H, rows);
    b.linear(`${p}.multi_head_attention.Wv`, H, H, rows);
    attention(b, `${p}.multi_head_attention`, x, CTRL.heads, H / CTRL.heads);
    b.linear(`${p}.multi_head_attention.dense`, H, H, rows);
    b.other(`${p}.layernorm2`, 'layernorm', LN * H);
    b.linear(`${p}.ffn.0`, H, CTRL.dff, rows).other(`${p}.ffn.1`, 'relu');
    b.linear(`${p}.ffn.2`, CTRL.dff, H, rows);
  }
  return b.other('layernorm', 'layernorm', LN * H);
}

// ---------------------------------------------------------------------------------------
// ALBERT (Lan et al. 2020): factorised embeddings (E = 128) and one layer whose weights are
// shared by all repetitions; repetitions after the first are marked `shared`.

export interface AlbertConfig {
  readonly hidden: number;
  readonly layers: number;
  readonly heads: number;
  readonly intermediate: number;
}
const ALBERT_VOCAB = 30000;
const ALBERT_EMBEDDING = 128;
const ALBERT_MAX_POSITIONS = 512;
const ALBERT_TYPE_VOCAB = 2;
export const ALBERT_BASE: AlbertConfig = { hidden: 768, layers: 12, heads: 12, intermediate: 3072 };
export const ALBERT_XXLARGE: AlbertConfig = { hidden: 4096, layers: 12, heads: 64, intermediate: 16384 };

export function albert(cfg: AlbertConfig, x: SeqInput): SeqBuilder {
  const H = cfg.hidden;
  const E = ALBERT_EMBEDDING;
  const rows = x.tokens * x.batch;
  const b = new SeqBuilder();
  b.other('embeddings.word_embeddings', 'embedding', ALBERT_VOCAB * E);
  b.other('embeddings.position_embeddings', 'embedding', ALBERT_MAX_POSITIONS * E);
  b.other('embeddings.token_type_embeddings', 'embedding', ALBERT_TYPE_VOCAB * E);
  b.other('embeddings.LayerNorm', 'layernorm', LN * E);
  b.linear('encoder.embedding_hidden_mapping_in', E, H, rows);
  for (let i = 0; i < cfg.layers; i++) {
    const p = `encoder.layer.${i}`;
    const shared = i > 0;
    b.linear(`${p}.attention.query`, H, H, rows, true, shared);
    b.linear(`${p}.attention.key`, H, H, rows, true, shared);
    b.linear(`${p}.attention.value`, H, H, rows, true, shared);
    attention(b, `${p}.attention`, x, cfg.heads, H / cfg.heads);
    b.linear(`${p}.attention.dense`, H, H, rows, true, shared);
    b.other(`${p}.attention.LayerNorm`, 'layernorm', LN * H, shared);
    b.linear(`${p}.ffn`, H, cfg.intermediate, rows, true, shared).other(`${p}.act`, 'gelu');
    b.linear(`${p}.ffn_output`, cfg.intermediate, H, rows, true, shared);
    b.other(`${p}.full_layer_layer_norm`, 'layernorm', LN * H, shared);
  }
  return b.linear('pooler', H, H, x.batch).other('pooler_activation', 'tanh');
}

// ---------------------------------------------------------------------------------------
// MobileBERT (Sun et al. 2020), google/mobilebert-uncased: 24 thin layers with bottlenecks
// (512 -> 128), four stacked feed-forward networks, trigram embedding input, NoNorm (an
// element-wise scale and shift), no pooler weights (classifier_activation = false).

const MOBILEBERT = {
  vocab: 30522,
  embedding: 128,
  hidden: 512,
  bottleneck: 128,
  intermediate: 512,
  layers: 24,
  heads: 4,
  ffns: 4,
  positions: 512,
  typeVocab: 2,
} as const;
const TRIGRAM = 3;
const NO_NORM = 2;

export function mobilebert(x: SeqInput): SeqBuilder {
  const m = MOBILEBERT;
  const H = m.hidden;
  const B = m.bottleneck;
  const rows = x.tokens * x.batch;
  const b = new SeqBuilder();
  b.other('embeddings.word_embeddings', 'embedding', m.vocab * m.embedding);
  b.linear('embeddings.embedding_transformation', TRIGRAM * m.embedding, H, rows);
  b.other('embeddings.position_embeddings', 'embedding', m.positions * H);
  b.other('embeddings.token_type_embeddings', 'embedding', m.typeVocab * H);
  b.other('embeddings.LayerNorm', 'nonorm', NO_NORM * H);
  for (let i = 0; i < m.layers; i++) {
    const p = `encoder.layer.${i}`;
    b.linear(`${p}.bottleneck.input.dense`, H, B, rows).other(
      `${p}.bottleneck.input.LayerNorm`,
      'nonorm',
      NO_NORM * B,
    );
    b.linear(`${p}.bottleneck.attention.dense`, H, B, rows);
    b.other(`${p}.bottleneck.attention.LayerNorm`, 'nonorm', NO_NORM * B);
    b.linear(`${p}.attention.self.query`, B, B, rows);
    b.linear(`${p}.attention.self.key`, B, B, rows);
    b.linear(`${p}.attention.self.value`, H, B, rows);
    attention(b, `${p}.attention.self`, x, m.heads, B / m.heads);
    b.linear(`${p}.attention.output.dense`, B, B, rows).other(
      `${p}.attention.output.LayerNorm`,
      'nonorm',
      NO_NORM * B,
    );
    for (let f = 0; f < m.ffns - 1; f++) {
      const q = `${p}.ffn.${f}`;
      b.linear(`${q}.intermediate.dense`, B, m.intermediate, rows).other(`${q}.intermediate.act`, 'relu');
      b.linear(`${q}.output.dense`, m.intermediate, B, rows).other(
        `${q}.output.LayerNorm`,
        'nonorm',
        NO_NORM * B,
      );
    }
    b.linear(`${p}.intermediate.dense`, B, m.intermediate, rows).other(`${p}.intermediate.act`, 'relu');
    b.linear(`${p}.output.dense`, m.intermediate, B, rows).other(
      `${p}.output.LayerNorm`,
      'nonorm',
      NO_NORM * B,
    );
    b.linear(`${p}.output.bottleneck.dense`, B, H, rows);
    b.other(`${p}.output.bottleneck.LayerNorm`, 'nonorm', NO_NORM * H);
  }
  return b.other('pooler', 'first-token');
}
