/**
 * Generates a signing key file for SIGNING_KEY_FILE (production provides its own; development generates
 * one under DATA_DIR on first start):
 *
 *   npx tsx src/tools/signing-keys.ts generate FILE
 *
 * Never overwrites an existing file. Keep the file outside the database and its backups (mode 0600).
 */
import { writeNewKeyFile } from '../modules/certificates/signing-keys';

const [command, file] = process.argv.slice(2);
if (command !== 'generate' || !file) {
  console.error('usage: signing-keys generate FILE');
  process.exitCode = 2;
} else {
  try {
    writeNewKeyFile(file);
    console.log(`wrote ${file} (mode 0600)`);
  } catch (err) {
    console.error((err as NodeJS.ErrnoException).code === 'EEXIST' ? `${file} exists: not overwritten` : err);
    process.exitCode = 1;
  }
}
