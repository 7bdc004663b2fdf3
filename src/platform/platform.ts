/**
 * Platforms: sub-accelerator cores (dataflow style, PE count, cluster size, optional local
 * and global scratchpad sizes, flexible array shape) sharing one system bandwidth. Read from
 * presets (presets.ts) or JSON files validated here with messages naming the field.
 */
import { z } from 'zod';
import { InputError, show } from '../core/errors.js';
import { checkSystemBandwidth, TABLE_LIMITS } from '../core/table.js';
import { BUILTIN_DATAFLOWS } from '../costmodel/builtin-dataflows.js';
import { parseDataflow } from '../costmodel/dataflow-parser.js';
import { compileDataflow } from '../costmodel/levels.js';

/** The array width (cluster size) M3E gives every core. */
export const DEFAULT_CLUSTER_SIZE = 64;
/** Global scratchpad limit of the flexible cluster-size search in the authors' code (2 MiB). */
export const DEFAULT_SG_BYTES = 2 * 1024 * 1024;

export interface CoreSpec {
  readonly name: string;
  /** Dataflow style: dla, shi, eye, or a dataflow defined in the platform file. */
  readonly style: string;
  readonly pes: number;
  readonly clusterSize: number;
  /** Global (L2) scratchpad bytes; a job whose L2 need exceeds it cannot run there. */
  readonly sgBytes?: number;
  /** Local (L1, per-PE tiles) scratchpad bytes. */
  readonly slBytes?: number;
  /** The analyzer picks the cluster size per job (lowest latency whose L2 fits the SG). */
  readonly flexible: boolean;
}

export interface Platform {
  readonly name: string;
  readonly cores: readonly CoreSpec[];
  /** Shared off-chip bandwidth, bytes per cycle, when the platform fixes one. */
  readonly systemBandwidth?: number;
  /** Dataflows defined by the platform, name -> text in MAESTRO's notation. */
  readonly dataflows: Readonly<Record<string, string>>;
}

const positiveInt = (what: string) =>
  z
    .number({ error: (i) => `${what} must be a positive integer, got ${show(i.input)}` })
    .refine((v) => Number.isInteger(v) && v >= 1, {
      error: (i) => `${what} must be a positive integer, got ${show(i.input)}`,
    });

const CoreFileSchema = z.strictObject({
  name: z.string().min(1).optional(),
  style: z.string({ error: (i) => `style must be a string such as "dla", got ${show(i.input)}` }),
  pes: positiveInt('pes'),
  clusterSize: positiveInt('clusterSize').optional(),
  sgBytes: positiveInt('sgBytes').optional(),
  slBytes: positiveInt('slBytes').optional(),
  flexible: z.boolean({ error: (i) => `flexible must be true or false, got ${show(i.input)}` }).optional(),
});

export const PlatformFileSchema = z.strictObject({
  name: z.string().optional(),
  cores: z.array(CoreFileSchema).min(1, { error: 'cores must list at least one core' }),
  systemBandwidth: z
    .number({ error: (i) => `systemBandwidth must be a number > 0 (bytes/cycle), got ${show(i.input)}` })
    .refine((v) => Number.isFinite(v) && v > 0, {
      error: (i) => `systemBandwidth must be a finite number > 0, got ${show(i.input)}`,
    })
    .optional(),
  dataflows: z
    .record(z.string(), z.string({ error: 'a dataflow must be text in MAESTRO notation' }))
    .optional(),
});

export type PlatformFile = z.infer<typeof PlatformFileSchema>;

/**
 * Checks a platform against the dataflows it may use. `knownStyles` lists the built-in
 * styles; platform-defined dataflows are added. Throws InputError naming the core and field.
 */
export function validatePlatform(p: Platform, knownStyles: readonly string[]): Platform {
  if (p.cores.length === 0) throw new InputError(`platform ${p.name}: cores must list at least one core`);
  if (p.cores.length > PLATFORM_LIMITS.MAX_CORES)
    throw new InputError(
      `platform ${p.name}: at most ${PLATFORM_LIMITS.MAX_CORES} cores, got ${p.cores.length}`,
    );
  for (const [name, text] of Object.entries(p.dataflows)) {
    if (name in BUILTIN_DATAFLOWS || knownStyles.includes(name))
      throw new InputError(
        `platform ${p.name}: dataflows.${name}: "${name}" is built in and cannot be redefined`,
      );
    try {
      compileDataflow(parseDataflow(text, name), 'CONV');
    } catch (e) {
      if (e instanceof InputError)
        throw new InputError(`platform ${p.name}: dataflows.${name}: ${e.message}`);
      throw e;
    }
  }
  const styles = new Set([...knownStyles, ...Object.keys(p.dataflows)]);
  const names = new Set<string>();
  p.cores.forEach((c, i) => {
    const where = `platform ${p.name}: cores[${i}]${c.name ? ` (${c.name})` : ''}`;
    if (!styles.has(c.style))
      throw new InputError(`${where}: unknown style ${show(c.style)}; known: ${[...styles].join(', ')}`);
    for (const [field, v] of [
      ['pes', c.pes],
      ['clusterSize', c.clusterSize],
    ] as const) {
      if (!Number.isInteger(v) || v < 1)
        throw new InputError(`${where}: ${field} must be a positive integer, got ${show(v)}`);
      if (v > PLATFORM_LIMITS.MAX_PES)
        throw new InputError(`${where}: ${field} must be at most ${PLATFORM_LIMITS.MAX_PES}, got ${v}`);
    }
    if (c.clusterSize > c.pes) {
      throw new InputError(`${where}: clusterSize ${c.clusterSize} is larger than the core's ${c.pes} PEs`);
    }
    for (const [field, v] of [
      ['sgBytes', c.sgBytes],
      ['slBytes', c.slBytes],
    ] as const) {
      if (v !== undefined && (!Number.isInteger(v) || v < 1))
        throw new InputError(`${where}: ${field} must be a positive integer, got ${show(v)}`);
      if (v !== undefined && v > PLATFORM_LIMITS.MAX_BUFFER_BYTES)
        throw new InputError(
          `${where}: ${field} must be at most ${PLATFORM_LIMITS.MAX_BUFFER_BYTES} bytes, got ${v}`,
        );
    }
    if (names.has(c.name)) throw new InputError(`${where}: duplicate core name ${show(c.name)}`);
    names.add(c.name);
  });
  if (p.systemBandwidth !== undefined)
    checkSystemBandwidth(p.systemBandwidth, `platform ${p.name}: systemBandwidth`);
  return p;
}

/**
 * Limits of a platform: PEs per core (the cost model's counts stay exact integers below
 * them), scratchpad bytes, and cores (a job table's limit).
 */
export const PLATFORM_LIMITS = {
  MAX_PES: 2 ** 24,
  MAX_BUFFER_BYTES: 2 ** 48,
  MAX_CORES: TABLE_LIMITS.MAX_CORES,
} as const;

/** Default core name: index, style and PE count (`c3-shi2048`). */
export function coreName(index: number, style: string, pes: number): string {
  return `c${index}-${style}${pes}`;
}

/** Parses a platform file (already JSON-parsed). */
export function platformFromJson(data: unknown, name: string, knownStyles: readonly string[]): Platform {
  const parsed = PlatformFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    const where = path ? path.replace(/^\./, '') : '(top level)';
    throw new InputError(`platform ${name}: ${where}: ${issue.message}`);
  }
  const f = parsed.data;
  const cores: CoreSpec[] = f.cores.map((c, i) => ({
    name: c.name ?? coreName(i, c.style, c.pes),
    style: c.style,
    pes: c.pes,
    clusterSize: c.clusterSize ?? DEFAULT_CLUSTER_SIZE,
    ...(c.sgBytes !== undefined ? { sgBytes: c.sgBytes } : {}),
    ...(c.slBytes !== undefined ? { slBytes: c.slBytes } : {}),
    flexible: c.flexible ?? false,
  }));
  return validatePlatform(
    {
      name: f.name ?? name,
      cores,
      ...(f.systemBandwidth !== undefined ? { systemBandwidth: f.systemBandwidth } : {}),
      dataflows: f.dataflows ?? {},
    },
    knownStyles,
  );
}

/** The same platform with every core flexible (the `--flexible` flag). */
export function withFlexibleCores(p: Platform): Platform {
  return { ...p, name: `${p.name}-flexible`, cores: p.cores.map((c) => ({ ...c, flexible: true })) };
}
