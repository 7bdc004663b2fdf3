/**
 * TensorFlow.js backend selection. `auto` tries, in order:
 *   1. `@tensorflow/tfjs-node` (native TensorFlow; an optional dependency that does not
 *      install everywhere),
 *   2. `@tensorflow/tfjs-backend-wasm` (XNNPACK kernels; measured 3-8x faster than the
 *      CPU backend on the 3 x 128 MLPs used here: bench/results/agents.md),
 *   3. the pure-JavaScript `cpu` backend (always there; the one the determinism tests use).
 * An explicit choice fails loudly when that backend cannot load, instead of silently
 * running another one.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError, show } from '../src/core/errors.js';

export const BACKEND_CHOICES = ['auto', 'node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
/** A concrete backend (`node` is registered by tfjs-node under the name `tensorflow`). */
export type BackendName = Exclude<BackendChoice, 'auto'>;

export interface BackendInfo {
  readonly requested: BackendChoice;
  readonly name: BackendName;
  /** Why each backend tried before the one that runs was skipped. */
  readonly skipped: readonly string[];
}

const TFJS_NAME: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

export function parseBackendChoice(text: string): BackendChoice {
  if (!(BACKEND_CHOICES as readonly string[]).includes(text)) {
    throw new InputError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, got ${show(text)}`);
  }
  return text as BackendChoice;
}

// A variable module name keeps TypeScript from resolving a package that may be absent.
const TFJS_NODE = '@tensorflow/tfjs-node';

async function tryLoad(name: BackendName): Promise<string | null> {
  try {
    if (name === 'node') await import(TFJS_NODE);
    if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    const ok = await tf.setBackend(TFJS_NAME[name]);
    if (!ok) return `${name}: tf.setBackend('${TFJS_NAME[name]}') failed`;
    await tf.ready();
    return null;
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0] ?? String(e);
    return `${name}: ${msg}`;
  }
}

/**
 * Makes `choice` the active tfjs backend and returns which one runs. Also switches tfjs to
 * production mode: no per-op NaN checks, and no "install tfjs-node" banner on stderr.
 */
export async function selectBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  tf.enableProdMode();
  const order: BackendName[] = choice === 'auto' ? ['node', 'wasm', 'cpu'] : [choice];
  const skipped: string[] = [];
  for (const name of order) {
    const why = await tryLoad(name);
    if (why === null) return { requested: choice, name, skipped };
    skipped.push(why);
  }
  throw new InputError(`backend ${choice} is not available here (${skipped.join('; ')})`);
}

/** The concrete backend tfjs runs now. */
export function activeBackend(): BackendName {
  const name = tf.getBackend();
  const hit = (Object.keys(TFJS_NAME) as BackendName[]).find((k) => TFJS_NAME[k] === name);
  if (!hit) throw new Error(`unexpected tfjs backend ${name}`);
  return hit;
}

/**
 * One line for logs: `backend wasm`; with `verbose`, why the backends tried first were
 * skipped (`backend wasm (skipped node: Cannot find package ...)`). The native backend is
 * optional and usually absent, so its import error is no news unless asked for.
 */
export function describeBackend(info: BackendInfo, verbose = false): string {
  return `backend ${info.name}${verbose && info.skipped.length ? ` (skipped ${info.skipped.join('; ')})` : ''}`;
}
