import Postgres

/// The `complaints` schema's own migrations, numbered from 100 (the platform's outbox and inbox come first). A migration
/// that has shipped is never edited: a change is a new migration.
enum ComplaintsMigrations {
    static let all: [PostgresMigration] = []
}
