import {
  type Enrollment,
  EnrollmentExistsError,
  type EnrollmentStore,
} from '#registrar/ports/enrollments.ts';
import type { EmbeddedDatabase } from './database.ts';

const schema = `
CREATE TABLE IF NOT EXISTS enrollments (
  id TEXT PRIMARY KEY,
  record TEXT NOT NULL
) STRICT;
`;

interface RecordRow {
  readonly record: string;
}

/**
 * {@link EnrollmentStore} in the embedded SQLite database, one JSON record
 * per enrollment, so that the server and the command line share them.
 */
export class SqliteEnrollmentStore implements EnrollmentStore {
  readonly #database: EmbeddedDatabase;

  /** Creates the store on `database`, adding its table when missing. */
  public constructor(database: EmbeddedDatabase) {
    database.ensureSchema(schema);
    this.#database = database;
  }

  /** @inheritdoc */
  public async insert(enrollment: Enrollment): Promise<void> {
    const result = this.#database
      .statement(
        'INSERT INTO enrollments (id, record) VALUES (?, ?) ON CONFLICT DO NOTHING',
      )
      .run(enrollment.id, JSON.stringify(enrollment));
    if (result.changes === 0) {
      throw new EnrollmentExistsError(enrollment.id);
    }
  }

  /** @inheritdoc */
  public async find(id: string): Promise<Enrollment | undefined> {
    const row = this.#database
      .statement('SELECT record FROM enrollments WHERE id = ?')
      .get(id) as RecordRow | undefined;
    return row === undefined ? undefined : parse(row);
  }

  /** @inheritdoc */
  public async list(): Promise<Enrollment[]> {
    const rows = this.#database
      .statement('SELECT record FROM enrollments ORDER BY id')
      .all() as unknown as RecordRow[];
    return rows.map(parse);
  }

  /** @inheritdoc */
  public async replace(enrollment: Enrollment): Promise<boolean> {
    const stored = await this.find(enrollment.id);
    if (stored === undefined) {
      return false;
    }
    const record = { ...enrollment, createdAt: stored.createdAt };
    this.#database
      .statement('UPDATE enrollments SET record = ? WHERE id = ?')
      .run(JSON.stringify(record), enrollment.id);
    return true;
  }
}

function parse(row: RecordRow): Enrollment {
  return JSON.parse(row.record) as Enrollment;
}
