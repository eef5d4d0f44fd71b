/**
 * Inserts one registration on its own database connection, for the test
 * that races inserts from several connections. Waits on a shared flag so
 * that every worker starts at the same moment, then reports the outcome.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '#registrar/adapters/embedded/database.ts';
import { SqliteRegistrationStore } from '#registrar/adapters/embedded/sqlite-store.ts';
import type { Registration } from '#registrar/registrar/model.ts';

const { dataDir, registration, gate } = workerData as {
  dataDir: string;
  registration: Registration;
  gate: SharedArrayBuffer;
};

const database = openDatabase(dataDir);
const store = new SqliteRegistrationStore(database);
parentPort?.postMessage('ready');
Atomics.wait(new Int32Array(gate), 0, 0);
try {
  await store.insert(registration);
  parentPort?.postMessage('inserted');
} catch (error) {
  parentPort?.postMessage((error as Error).name);
} finally {
  database.close();
}
