using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace RpaWorker.Publishing;

/// <summary>
/// The embedded local store: one SQLite database (WAL mode) with a <c>resource(type, id, json, version_id,
/// last_updated, last_published)</c> table keyed by type and id, a search index filled from each resource's JSON when
/// it is published (<see cref="StoreParameters"/>), and the read API the FHIR facade serves from.
/// </summary>
/// <remarks>
/// Each batch is upserted in one transaction. Republishing an unchanged resource changes nothing but its
/// <c>last_published</c> time (when the source last confirmed it, see <see cref="GetLastPublishedAsync"/>); a changed
/// one gets the new JSON, <c>version_id + 1</c>, a new <c>last_updated</c> and a new index. Safe for concurrent use:
/// writes are serialised, reads run beside them (WAL). A database written by an earlier version (no
/// <c>last_published</c>, no index) is upgraded when opened, its index built from the stored JSON.
/// </remarks>
public sealed class SqliteSink : IResourceSink
{
    private const int SchemaVersion = 1;

    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>Opens (creating or upgrading when needed) the database at <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">The database file; its folder is created when missing.</param>
    /// <param name="timeProvider">The clock for <c>last_updated</c> and <c>last_published</c>; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="RpaWorkerException">A stored resource met while building the index of an older database is not valid JSON.</exception>
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
        Execute(connection, null, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS resource (
                type TEXT NOT NULL,
                id TEXT NOT NULL,
                json TEXT NOT NULL,
                version_id INTEGER NOT NULL,
                last_updated TEXT NOT NULL,
                PRIMARY KEY (type, id)
            ) WITHOUT ROWID;
            """);
        Upgrade(connection);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public string Name => "sqlite";

    /// <inheritdoc />
    /// <exception cref="RpaWorkerException">
    /// A resource has an invalid type or id (see <see cref="IResourceSink"/>), or JSON that is not a JSON object; nothing
    /// of the batch is stored then.
    /// </exception>
    public async Task PublishAsync(IReadOnlyList<PublishedResource> batch, CancellationToken cancellationToken)
    {
        var resources = PublishedBatch.Normalize(batch);
        if (resources.Count == 0)
        {
            return;
        }

        // Parse before taking the write lock: a bad resource fails the batch without touching the database.
        var indexes = resources.Select(SearchIndex.Extract).ToList();
        var now = Timestamp(_timeProvider.GetUtcNow());
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = Open();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var writer = new ResourceWriter(connection, transaction, now);
            for (var i = 0; i < resources.Count; i++)
            {
                await writer.UpsertAsync(resources[i], indexes[i], cancellationToken).ConfigureAwait(false);
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
        var results = await QueryAsync(new StoreQuery(resourceType) { Ids = [id], Limit = 1 }, cancellationToken).ConfigureAwait(false);
        return results.Count == 0 ? null : results[0];
    }

    /// <summary>
    /// Pages through the resources of one type in id order (ordinal): at most <paramref name="limit"/> resources whose
    /// id sorts after <paramref name="afterId"/> (from the start when null). Pass the last id of a page to get the next.
    /// </summary>
    public Task<IReadOnlyList<StoredResource>> SearchAsync(string resourceType, int limit, string? afterId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        return QueryAsync(new StoreQuery(resourceType) { Limit = limit, AfterId = afterId }, cancellationToken);
    }

    /// <summary>
    /// One page of the resources of <see cref="StoreQuery.ResourceType"/> that meet every condition of
    /// <paramref name="query"/>, in id order (ordinal). An empty page means there are no more.
    /// </summary>
    /// <exception cref="ArgumentException">A condition names a parameter that is not indexed, or has no matches.</exception>
    public async Task<IReadOnlyList<StoredResource>> QueryAsync(StoreQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query));
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT r.type, r.id, r.json, r.version_id, r.last_updated ");
        AppendFilter(sql, command, query);
        if (query.AfterId is not null)
        {
            sql.Append(" AND r.id > $after");
            command.Parameters.AddWithValue("$after", query.AfterId);
        }

        sql.Append(" ORDER BY r.id LIMIT $limit;");
        command.Parameters.AddWithValue("$limit", query.Limit);
        command.CommandText = sql.ToString();
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts the resources that meet <paramref name="query"/>'s conditions (its paging is ignored).</summary>
    /// <exception cref="ArgumentException">As for <see cref="QueryAsync"/>.</exception>
    public async Task<long> CountMatchesAsync(StoreQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT COUNT(*) ");
        AppendFilter(sql, command, query);
        command.CommandText = sql.ToString();
        var count = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(count, CultureInfo.InvariantCulture);
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

    /// <summary>
    /// When a publish last included this resource, changed or not — the time the source last confirmed it — or null
    /// when the store does not have it. This, not <see cref="StoredResource.LastUpdated"/>, says how fresh a copy is.
    /// </summary>
    public async Task<DateTimeOffset?> GetLastPublishedAsync(string resourceType, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT last_published FROM resource WHERE type = $type AND id = $id;";
        command.Parameters.AddWithValue("$type", resourceType);
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string text ? ParseTimestamp(text) : null;
    }

    /// <summary>
    /// The values of one indexed <paramref name="parameter"/> (see <see cref="StoreParameters"/>) of a stored resource,
    /// e.g. the patient a Condition belongs to or a Patient's identifiers; empty when it has none or is not stored.
    /// </summary>
    public async Task<IReadOnlyList<StoreIndexValue>> GetIndexValuesAsync(string resourceType, string id, string parameter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(parameter);
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT system, value FROM search_index WHERE type = $type AND id = $id AND param = $param ORDER BY system, value;";
        command.Parameters.AddWithValue("$type", resourceType);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$param", parameter);
        var values = new List<StoreIndexValue>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            values.Add(new StoreIndexValue(reader.GetString(0), reader.GetString(1)));
        }

        return values;
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

    /// <summary>The stored form of an instant: ISO 8601 in UTC with seven fraction digits, so text order is time order.</summary>
    internal static string Timestamp(DateTimeOffset instant) => instant.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Brings a database of an older schema up to <see cref="SchemaVersion"/> in one transaction.</summary>
    private static void Upgrade(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        using (var version = connection.CreateCommand())
        {
            version.Transaction = transaction;
            version.CommandText = "PRAGMA user_version;";
            if (Convert.ToInt64(version.ExecuteScalar(), CultureInfo.InvariantCulture) >= SchemaVersion)
            {
                return;
            }
        }

        // Until version 1 the store had neither the confirmation time nor the index; a copy's confirmation time is
        // then the best thing known, when it last changed.
        Execute(connection, transaction, """
            ALTER TABLE resource ADD COLUMN last_published TEXT;
            UPDATE resource SET last_published = last_updated;
            CREATE TABLE search_index (
                type TEXT NOT NULL,
                id TEXT NOT NULL,
                param TEXT NOT NULL,
                system TEXT NOT NULL,
                value TEXT NOT NULL
            );
            CREATE INDEX ix_search_index_value ON search_index (param, value, type);
            CREATE INDEX ix_search_index_resource ON search_index (type, id);
            CREATE INDEX ix_resource_last_updated ON resource (type, last_updated);
            """);

        var existing = new List<PublishedResource>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT type, id, json FROM resource;";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                existing.Add(new PublishedResource(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        using (var insert = IndexInsert(connection, transaction))
        {
            foreach (var resource in existing)
            {
                InsertIndex(insert, resource, SearchIndex.Extract(resource));
            }
        }

        Execute(connection, transaction, $"PRAGMA user_version = {SchemaVersion};");
        transaction.Commit();
    }

    private static SqliteCommand IndexInsert(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO search_index (type, id, param, system, value) VALUES ($type, $id, $param, $system, $value);";
        foreach (var name in new[] { "$type", "$id", "$param", "$system", "$value" })
        {
            command.Parameters.Add(name, SqliteType.Text);
        }

        return command;
    }

    private static void InsertIndex(SqliteCommand insert, PublishedResource resource, IReadOnlyList<IndexEntry> entries)
    {
        foreach (var entry in entries)
        {
            insert.Parameters["$type"].Value = resource.ResourceType;
            insert.Parameters["$id"].Value = resource.Id;
            insert.Parameters["$param"].Value = entry.Parameter;
            insert.Parameters["$system"].Value = entry.System;
            insert.Parameters["$value"].Value = entry.Value;
            insert.ExecuteNonQuery();
        }
    }

    private static void AppendFilter(StringBuilder sql, SqliteCommand command, StoreQuery query)
    {
        ArgumentNullException.ThrowIfNull(query.ResourceType, nameof(query));
        sql.Append("FROM resource r WHERE r.type = $type");
        command.Parameters.AddWithValue("$type", query.ResourceType);
        if (query.Ids is { } ids)
        {
            sql.Append(" AND r.id IN (SELECT value FROM json_each($ids))");
            command.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(ids));
        }

        if (query.UpdatedFrom is { } from)
        {
            sql.Append(" AND r.last_updated >= $updatedFrom");
            command.Parameters.AddWithValue("$updatedFrom", Timestamp(from));
        }

        if (query.UpdatedBefore is { } before)
        {
            sql.Append(" AND r.last_updated < $updatedBefore");
            command.Parameters.AddWithValue("$updatedBefore", Timestamp(before));
        }

        for (var c = 0; c < query.Conditions.Count; c++)
        {
            var condition = query.Conditions[c];
            if (!StoreParameters.All.Contains(condition.Parameter))
            {
                throw new ArgumentException($"'{condition.Parameter}' is not an indexed parameter.", nameof(query));
            }

            if (condition.AnyOf.Count == 0)
            {
                throw new ArgumentException($"The condition on '{condition.Parameter}' has no matches.", nameof(query));
            }

            var lower = StoreParameters.CaseInsensitive.Contains(condition.Parameter);
            sql.Append(" AND EXISTS (SELECT 1 FROM search_index s WHERE s.type = r.type AND s.id = r.id AND s.param = $p").Append(c).Append(" AND (");
            command.Parameters.AddWithValue("$p" + c, condition.Parameter);
            for (var m = 0; m < condition.AnyOf.Count; m++)
            {
                sql.Append(m == 0 ? "(" : " OR (");
                AppendMatch(sql, command, $"$m{c}_{m}", condition.AnyOf[m], lower);
                sql.Append(')');
            }

            sql.Append("))");
        }
    }

    private static void AppendMatch(StringBuilder sql, SqliteCommand command, string name, StoreMatch match, bool lower)
    {
        string? Normalize(string? value) => lower ? value?.ToLowerInvariant() : value;

        switch (match.Comparison)
        {
            case StoreComparison.Equal:
                sql.Append("s.value = ").Append(name);
                command.Parameters.AddWithValue(name, Normalize(match.Value));
                if (match.System is not null)
                {
                    sql.Append(" AND s.system = ").Append(name).Append('s');
                    command.Parameters.AddWithValue(name + "s", match.System);
                }

                break;
            case StoreComparison.StartsWith:
                // A range keeps the index usable; U+10FFFF sorts after every character a value can hold.
                sql.Append("s.value >= ").Append(name).Append(" AND s.value < (").Append(name).Append(" || char(1114111))");
                command.Parameters.AddWithValue(name, Normalize(match.Value));
                break;
            case StoreComparison.Range:
                sql.Append("1 = 1");
                if (match.Value is not null)
                {
                    sql.Append(" AND s.value >= ").Append(name);
                    command.Parameters.AddWithValue(name, Normalize(match.Value));
                }

                if (match.Before is not null)
                {
                    sql.Append(" AND s.value < ").Append(name).Append('b');
                    command.Parameters.AddWithValue(name + "b", Normalize(match.Before));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(match), match.Comparison, "Unknown comparison.");
        }
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
                ParseTimestamp(reader.GetString(4))));
        }

        return results;
    }

    /// <summary>The prepared statements of one publishing transaction.</summary>
    private sealed class ResourceWriter : IAsyncDisposable
    {
        private readonly SqliteCommand _select;
        private readonly SqliteCommand _insert;
        private readonly SqliteCommand _touch;
        private readonly SqliteCommand _update;
        private readonly SqliteCommand _deleteIndex;
        private readonly SqliteCommand _insertIndex;

        public ResourceWriter(SqliteConnection connection, SqliteTransaction transaction, string now)
        {
            _select = Command(connection, transaction, "SELECT json FROM resource WHERE type = $type AND id = $id;");
            _insert = Command(connection, transaction, """
                INSERT INTO resource (type, id, json, version_id, last_updated, last_published) VALUES ($type, $id, $json, 1, $now, $now);
                """, now);
            _touch = Command(connection, transaction, "UPDATE resource SET last_published = $now WHERE type = $type AND id = $id;", now);
            _update = Command(connection, transaction, """
                UPDATE resource SET json = $json, version_id = version_id + 1, last_updated = $now, last_published = $now
                WHERE type = $type AND id = $id;
                """, now);
            _deleteIndex = Command(connection, transaction, "DELETE FROM search_index WHERE type = $type AND id = $id;");
            _insertIndex = IndexInsert(connection, transaction);
        }

        public async Task UpsertAsync(PublishedResource resource, IReadOnlyList<IndexEntry> index, CancellationToken cancellationToken)
        {
            var stored = await Run(_select, resource, scalar: true, cancellationToken).ConfigureAwait(false) as string;
            if (stored is null)
            {
                await Run(_insert, resource, scalar: false, cancellationToken).ConfigureAwait(false);
            }
            else if (string.Equals(stored, resource.Json, StringComparison.Ordinal))
            {
                await Run(_touch, resource, scalar: false, cancellationToken).ConfigureAwait(false);
                return;
            }
            else
            {
                await Run(_update, resource, scalar: false, cancellationToken).ConfigureAwait(false);
                await Run(_deleteIndex, resource, scalar: false, cancellationToken).ConfigureAwait(false);
            }

            InsertIndex(_insertIndex, resource, index);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in new[] { _select, _insert, _touch, _update, _deleteIndex, _insertIndex })
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }

        private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, string? now = null)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.Parameters.Add("$type", SqliteType.Text);
            command.Parameters.Add("$id", SqliteType.Text);
            if (sql.Contains("$json", StringComparison.Ordinal))
            {
                command.Parameters.Add("$json", SqliteType.Text);
            }

            if (now is not null)
            {
                command.Parameters.AddWithValue("$now", now);
            }

            return command;
        }

        private static async Task<object?> Run(SqliteCommand command, PublishedResource resource, bool scalar, CancellationToken cancellationToken)
        {
            command.Parameters["$type"].Value = resource.ResourceType;
            command.Parameters["$id"].Value = resource.Id;
            if (command.Parameters.Contains("$json"))
            {
                command.Parameters["$json"].Value = resource.Json;
            }

            return scalar
                ? await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
                : await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
