#!/usr/bin/env node
/**
 * npm postinstall: a bounds check in flechette's flatbuffer reader (@uwdata/flechette 2.6.0, util/read.js
 * `readVector`). Flechette trusts the vector lengths written in Arrow IPC metadata; a corrupted or hostile trace
 * output (one flipped byte is enough) can claim a billion-entry vector, which it then allocates: the tab's worker
 * runs out of memory. Trace outputs come from untrusted notebooks, so ModelTrace checks the length against the bytes
 * there are and lets flechette throw, which the decoder reports as an unreadable stream. Idempotent; fails loudly if
 * flechette's code no longer looks as expected (then check whether upstream has a bounds check of its own).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = ['node_modules/@uwdata/flechette/src/util/read.js', 'node_modules/@uwdata/flechette/dist/flechette.cjs'];
const ORIGINAL = `  // read vector size, extract entries
  return Array.from(
    { length: readInt32(buf, base) },`;
const MARK = '// modeltrace: bounds check';
const PATCHED = `  // read vector size, extract entries
  const size = readInt32(buf, base); ${MARK}
  if (size < 0 || base + SIZEOF_INT + size * stride > buf.length) {
    throw new Error(\`Arrow metadata vector of \${size} entries does not fit in \${buf.length} bytes\`);
  }
  return Array.from(
    { length: size },`;

for (const file of FILES) {
  const path = join(ROOT, file);
  let source;
  try {
    source = readFileSync(path, 'utf8');
  } catch {
    continue; // flechette not installed (e.g. a Python-only install)
  }
  if (source.includes(MARK)) {
    continue;
  }
  if (!source.includes(ORIGINAL)) {
    console.error(`patch-flechette: ${file} no longer has the code this patch expects; review scripts/patch-flechette.mjs`);
    process.exit(1);
  }
  writeFileSync(path, source.replace(ORIGINAL, PATCHED));
  console.log(`patch-flechette: bounds check added to ${file}`);
}
