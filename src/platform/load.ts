/** Where a platform comes from on the command line: a preset name or a JSON file. */
import { existsSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { BUILTIN_STYLES } from '../costmodel/builtin-dataflows.js';
import { readJsonFile } from '../io/files.js';
import { type Platform, platformFromJson } from './platform.js';
import { isPresetName, listPresets, presetPlatform } from './presets.js';

/** `spec` is a preset name (S1..S6, S2-eye ...) or the path of a platform JSON file. */
export function loadPlatform(spec: string): Platform {
  if (existsSync(spec)) return platformFromJson(readJsonFile(spec, 'platform file'), spec, BUILTIN_STYLES);
  if (isPresetName(spec)) return presetPlatform(spec);
  throw new InputError(
    `--platform ${spec}: neither a preset (${listPresets()
      .map((p) => p.name)
      .join(', ')}) nor an existing platform file`,
  );
}
