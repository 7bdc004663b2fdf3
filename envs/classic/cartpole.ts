import type { Rng } from '../../src/core/rng.js';
import {
  assertInSpace,
  BaseEnv,
  checkResetOptions,
  type Info,
  type ResetResult,
  type StepResult,
} from '../core.js';
import { Box, Discrete } from '../spaces.js';

/** The name of {@link CartPoleEnv} (it is not registered with `make`). */
export const CARTPOLE_ID = 'CartPole-v1';
/** Episode length limit of CartPole-v1 (the TimeLimit the registry applies). */
export const CARTPOLE_MAX_STEPS = 500;

const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_CART + MASS_POLE;
/** Half the pole's length. */
const LENGTH = 0.5;
const POLE_MASS_LENGTH = MASS_POLE * LENGTH;
const FORCE_MAG = 10.0;
/** Seconds between state updates. */
const TAU = 0.02;
const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;
/** Half-width of the uniform initial state. */
const INIT_RANGE = 0.05;

/**
 * `CartPole-v1`: Gymnasium's classic-control cart-pole (Barto, Sutton & Anderson 1983),
 * the standard sanity check of an RL agent ("reaches a return of 500" = solves it).
 *
 * Same dynamics, constants and semantics as gymnasium/envs/classic_control/cartpole.py:
 * Euler integration with tau = 0.02 s, reward +1 for every step (the terminating one too),
 * termination when |x| > 2.4 or |theta| > 12 degrees, initial state uniform in
 * [-0.05, 0.05]^4. The 500-step limit of v1 is Gymnasium's TimeLimit wrapper, which the
 * caller applies (`new TimeLimit(env, CARTPOLE_MAX_STEPS)`), not the environment.
 *
 * Observation: Box(4) float32 [x, x_dot, theta, theta_dot]; action: Discrete(2), 0 pushes
 * left, 1 pushes right.
 */
export class CartPoleEnv extends BaseEnv<Float32Array, number> {
  readonly actionSpace = new Discrete(2);
  /** Bounds as Gymnasium: twice the termination thresholds, unbounded velocities. */
  readonly observationSpace = new Box(
    [-2 * X_THRESHOLD, Number.NEGATIVE_INFINITY, -2 * THETA_THRESHOLD, Number.NEGATIVE_INFINITY],
    [2 * X_THRESHOLD, Number.POSITIVE_INFINITY, 2 * THETA_THRESHOLD, Number.POSITIVE_INFINITY],
    { dtype: 'float32' },
  );
  private x = 0;
  private xDot = 0;
  private theta = 0;
  private thetaDot = 0;

  protected resetEpisode(rng: Rng, options: Readonly<Record<string, unknown>>): ResetResult<Float32Array> {
    checkResetOptions(this.label, options, []);
    this.x = rng.uniform(-INIT_RANGE, INIT_RANGE);
    this.xDot = rng.uniform(-INIT_RANGE, INIT_RANGE);
    this.theta = rng.uniform(-INIT_RANGE, INIT_RANGE);
    this.thetaDot = rng.uniform(-INIT_RANGE, INIT_RANGE);
    return { observation: this.observe(), info: {} };
  }

  protected stepEpisode(action: number): StepResult<Float32Array> {
    assertInSpace(this.actionSpace, action, 'action');
    const force = action === 1 ? FORCE_MAG : -FORCE_MAG;
    const cos = Math.cos(this.theta);
    const sin = Math.sin(this.theta);
    const temp = (force + POLE_MASS_LENGTH * this.thetaDot ** 2 * sin) / TOTAL_MASS;
    const thetaAcc = (GRAVITY * sin - cos * temp) / (LENGTH * (4 / 3 - (MASS_POLE * cos ** 2) / TOTAL_MASS));
    const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
    // Explicit Euler, in Gymnasium's order.
    this.x += TAU * this.xDot;
    this.xDot += TAU * xAcc;
    this.theta += TAU * this.thetaDot;
    this.thetaDot += TAU * thetaAcc;
    const terminated =
      this.x < -X_THRESHOLD ||
      this.x > X_THRESHOLD ||
      this.theta < -THETA_THRESHOLD ||
      this.theta > THETA_THRESHOLD;
    const info: Info = {};
    return { observation: this.observe(), reward: 1, terminated, truncated: false, info };
  }

  /** The state, for tests. */
  get state(): readonly [number, number, number, number] {
    return [this.x, this.xDot, this.theta, this.thetaDot];
  }

  private observe(): Float32Array {
    return Float32Array.of(this.x, this.xDot, this.theta, this.thetaDot);
  }

  render(): string {
    const width = 41;
    const pos = Math.round(((this.x + X_THRESHOLD) / (2 * X_THRESHOLD)) * (width - 1));
    const track = Array.from({ length: width }, (_, i) =>
      i === Math.max(0, Math.min(width - 1, pos)) ? '#' : '-',
    );
    const deg = (this.theta * 180) / Math.PI;
    return `${track.join('')}  x ${this.x.toFixed(3)}  theta ${deg.toFixed(2)} deg`;
  }
}
