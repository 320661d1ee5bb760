/**
 * `npx tsx src/cli.ts blueprint:import --name N --kind K file.geojson|file.zip` — loads a large layer
 * (task 53: 主要空间规划数据整合) with a progress bar on stderr. Returns the exit code.
 */
import type { Kysely } from 'kysely';
import { parseArgs } from 'node:util';
import type { DB } from '../../db/schema';
import { DomainError } from '../../shared/errors';
import { layerKinds } from './blueprint.rules';
import { importLayerFile } from './layer.import';

function bar(stored: number, read: number, total: number, startedMs: number) {
  const share = total > 0 ? Math.min(1, read / total) : 0;
  const width = 30;
  const filled = Math.round(share * width);
  const secs = (Date.now() - startedMs) / 1000;
  return `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${stored} 要素 features  ${secs.toFixed(1)} s`;
}

export async function runBlueprintImport(db: Kysely<DB>, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { name: { type: 'string' }, kind: { type: 'string' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!values.name || !values.kind || !file) {
    console.error(
      `usage: blueprint:import --name <图层名称> --kind <${layerKinds.join('|')}> <file.geojson|file.zip>`,
    );
    return 2;
  }
  const started = Date.now();
  try {
    const result = await importLayerFile(db, new Date(), {
      name: values.name,
      kind: values.kind,
      file,
      onProgress: (stored, read, total) => process.stderr.write(bar(stored, read, total, started)),
    });
    process.stderr.write('\n');
    console.log(JSON.stringify(result));
    return 0;
  } catch (err) {
    process.stderr.write('\n');
    if (err instanceof DomainError) {
      console.error(`导入失败 (import failed): ${err.message}${err.field ? ` [${err.field}]` : ''}`);
      return 1;
    }
    throw err;
  }
}
