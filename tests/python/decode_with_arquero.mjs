// Decodes the DATA blocks of a trace payload (JSON file given as argument) the way the browser does
// (flechette via arquero's fromArrow) and prints {period: rows as objects} as JSON.
import { readFileSync } from 'node:fs';
import { fromArrow } from 'arquero';

const payload = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const decoded = {};
for (const period of ['current', 'reference']) {
  if (payload[period]?.format === 'arrow-ipc-base64') {
    decoded[period] = fromArrow(Uint8Array.from(Buffer.from(payload[period].data, 'base64'))).objects();
  }
}
console.log(JSON.stringify(decoded));
