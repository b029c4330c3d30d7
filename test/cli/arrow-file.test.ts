import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { readArrowMessages } from '../../src/cli/arrow-file.js';
import { loadTable } from '../../src/engine/load/index.js';
import { InputError } from '../../src/engine/types.js';
import { FIXTURES, ensureFixtures } from '../engine/fixture-files.js';

const file = (name: string) => join(FIXTURES, 'load', name);

describe('Arrow IPC files read message by message (files over 2 GiB)', () => {
  before(() => ensureFixtures());

  for (const name of ['table.arrow', 'table-stream.arrow', 'table.feather', 'types.arrow']) {
    it(`${name}: the same table as from the whole file`, async () => {
      const messages = await readArrowMessages(file(name));
      const whole = await loadTable(new Uint8Array(readFileSync(file(name))), name);
      const parts = await loadTable(messages, name);
      assert.deepEqual(parts.columnNames(), whole.columnNames());
      assert.deepEqual(parts.objects(), whole.objects());
    });
  }

  it('a file of several record batches gives one buffer per message', async () => {
    // table.arrow: a schema message and record batches of 5 rows
    const messages = await readArrowMessages(file('table.arrow'));
    const rows = (await loadTable(messages, 'table.arrow')).numRows();
    assert.equal(messages.length, 1 + Math.ceil(rows / 5));
  });

  it('a truncated file is an InputError naming it', async () => {
    await assert.rejects(readArrowMessages(join(FIXTURES, 'bad', 'garbage.arrow')), (error: Error) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /garbage\.arrow: not a readable Arrow IPC file/);
      return true;
    });
  });

  it('ZSTD buffers are refused with the same advice as a whole file', async () => {
    const messages = await readArrowMessages(file('table-zstd.feather'));
    await assert.rejects(loadTable(messages, 'table-zstd.feather'), /ZSTD-compressed Arrow is not supported/);
  });
});
