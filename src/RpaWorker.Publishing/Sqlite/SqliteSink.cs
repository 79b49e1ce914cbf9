using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RpaWorker.Publishing;

/// <summary>
/// The embedded local store: one SQLite database (WAL mode) with a <c>resource(type, id, json, version_id,
/// last_updated)</c> table keyed by type and id, and the read API the FHIR facade serves from.
/// </summary>
/// <remarks>
/// Each batch is upserted in one transaction. Republishing an unchanged resource changes nothing; a changed one gets
/// the new JSON, <c>version_id + 1</c> and a new <c>last_updated</c>. Safe for concurrent use: writes are serialised,
/// reads run beside them (WAL).
/// </remarks>
public sealed class SqliteSink : IResourceSink
{
    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>Opens (creating when missing) the database at <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">The database file; its folder is created when missing.</param>
    /// <param name="timeProvider">The clock for <c>last_updated</c>; <see cref="TimeProvider.System"/> when null.</param>
    public SqliteSink(string databasePath, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _timeProvider = timeProvider ?? TimeProvider.System;
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS resource (
                type TEXT NOT NULL,
                id TEXT NOT NULL,
                json TEXT NOT NULL,
                version_id INTEGER NOT NULL,
                last_updated TEXT NOT NULL,
                PRIMARY KEY (type, id)
            ) WITHOUT ROWID;
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public string Name => "sqlite";

    /// <inheritdoc />
    public async Task PublishAsync(IReadOnlyList<PublishedResource> batch, CancellationToken cancellationToken)
    {
        var resources = PublishedBatch.Normalize(batch);
        if (resources.Count == 0)
        {
            return;
        }

        var now = _timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = Open();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            // The WHERE on the update keeps version_id and last_updated when the JSON is the same.
            command.CommandText = """
                INSERT INTO resource (type, id, json, version_id, last_updated) VALUES ($type, $id, $json, 1, $now)
                ON CONFLICT (type, id) DO UPDATE
                    SET json = excluded.json, version_id = resource.version_id + 1, last_updated = excluded.last_updated
                    WHERE resource.json <> excluded.json;
                """;
            var type = command.Parameters.Add("$type", SqliteType.Text);
            var id = command.Parameters.Add("$id", SqliteType.Text);
            var json = command.Parameters.Add("$json", SqliteType.Text);
            command.Parameters.AddWithValue("$now", now);
            await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            foreach (var resource in resources)
            {
                type.Value = resource.ResourceType;
                id.Value = resource.Id;
                json.Value = resource.Json;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Reads one resource, or null when the store has none of that type and id.</summary>
    public async Task<StoredResource?> GetAsync(string resourceType, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT type, id, json, version_id, last_updated FROM resource WHERE type = $type AND id = $id;";
        command.Parameters.AddWithValue("$type", resourceType);
        command.Parameters.AddWithValue("$id", id);
        var results = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return results.Count == 0 ? null : results[0];
    }

    /// <summary>
    /// Pages through the resources of one type in id order (ordinal): at most <paramref name="limit"/> resources whose
    /// id sorts after <paramref name="afterId"/> (from the start when null). Pass the last id of a page to get the next.
    /// </summary>
    public async Task<IReadOnlyList<StoredResource>> SearchAsync(string resourceType, int limit, string? afterId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT type, id, json, version_id, last_updated FROM resource
            WHERE type = $type AND ($after IS NULL OR id > $after)
            ORDER BY id LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$type", resourceType);
        command.Parameters.AddWithValue("$after", (object?)afterId ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts the resources of one type, or of every type when <paramref name="resourceType"/> is null.</summary>
    public async Task<long> CountAsync(string? resourceType, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM resource WHERE $type IS NULL OR type = $type;";
        command.Parameters.AddWithValue("$type", (object?)resourceType ?? DBNull.Value);
        var count = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(count, CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            // Pooled connections keep the file open; release them so the database can be moved or deleted.
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static async Task<IReadOnlyList<StoredResource>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var results = new List<StoredResource>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add(new StoredResource(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt64(3),
                DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
        }

        return results;
    }
}
