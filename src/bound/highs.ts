/**
 * The HiGHS solver (npm `highs`, HiGHS compiled to WebAssembly), loaded once per process.
 *
 * Why a top-level await: the package only offers an asynchronous loader, while optimisers
 * are created synchronously (`createOptimizer`) and solves are synchronous once the module
 * is loaded. Awaiting the loader here makes "imported" mean "ready": every module that
 * imports this one (the bound library, the exact mapper, hence the optimiser registry) is
 * evaluated only after the WebAssembly module is instantiated, so no caller ever needs a
 * preparation step or can forget one. The cost is paid once per process and is small (about
 * 30 ms and 20 MB here: the engine compiles the 3.5 MB module lazily). The price is that
 * these modules are ES modules with a top-level await: `require()` cannot load them, which
 * this ES-module package never does.
 *
 * The solver's own output is suppressed (no `print` callbacks).
 */
import { createRequire } from 'node:module';
import type { Highs } from 'highs';

export type { Highs, Model, ModelData } from 'highs';

// Loaded through its CommonJS build: there `default` is the loader, as the package's types
// (written for CommonJS) say; its ES build would export the loader itself instead.
const highsPackage = createRequire(import.meta.url)('highs') as typeof import('highs');
export const highs: Highs = await highsPackage.default();

/** The HiGHS version inside the WebAssembly build, e.g. "1.15.1" (reported with bounds). */
export const HIGHS_VERSION: string = highs.version.string;
