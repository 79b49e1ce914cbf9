using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace RpaWorker.Host.Runs;

/// <summary>
/// Every run, shard and work item with status, attempts, timings, counts and PHI-free reasons, in SQLite (one worker)
/// or PostgreSQL (several workers). The SQL is the common subset of both; times are Unix milliseconds. A finished item
/// is the checkpoint: a run resumed after its worker died skips it.
/// </summary>
public sealed class RunStore : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly LocalShardClaims _local = new();
    private readonly DbDataSource _source;
    private readonly TimeProvider _time;

    private RunStore(DbDataSource source, TimeProvider time, bool postgres)
    {
        _source = source;
        _time = time;
        IsPostgres = postgres;
    }

    /// <summary>Whether the store is PostgreSQL (shared by a cluster) rather than SQLite.</summary>
    public bool IsPostgres { get; }

    /// <summary>A store in a SQLite file (created when missing).</summary>
    public static RunStore Sqlite(string path, TimeProvider time)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 60 }.ToString();
        return new RunStore(SqliteFactory.Instance.CreateDataSource(cs), time, postgres: false);
    }

    /// <summary>A store in PostgreSQL.</summary>
    public static RunStore Postgres(string connectionString, TimeProvider time) =>
        new(NpgsqlDataSource.Create(connectionString), time, postgres: true);

    /// <summary>Creates the tables when missing.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (!IsPostgres)
        {
            // WAL lets the API read while a shard writes.
            await ExecAsync(connection, "PRAGMA journal_mode=WAL;", null, cancellationToken);
        }
        await ExecAsync(connection, """
            CREATE TABLE IF NOT EXISTS rpa_runs (
              id TEXT PRIMARY KEY, tenant TEXT NOT NULL, ehr TEXT NOT NULL, playbook_id TEXT NOT NULL, playbook_version TEXT NOT NULL,
              trigger_name TEXT NOT NULL, inputs TEXT NOT NULL, status TEXT NOT NULL, shards INTEGER NOT NULL,
              created_ms BIGINT NOT NULL, started_ms BIGINT NULL, finished_ms BIGINT NULL, planned INTEGER NULL, reason TEXT NULL);
            CREATE INDEX IF NOT EXISTS rpa_runs_tenant ON rpa_runs (tenant, created_ms);
            CREATE TABLE IF NOT EXISTS rpa_shards (
              run_id TEXT NOT NULL, shard INTEGER NOT NULL, status TEXT NOT NULL, owner TEXT NULL, attempts INTEGER NOT NULL,
              started_ms BIGINT NULL, finished_ms BIGINT NULL, reason TEXT NULL, PRIMARY KEY (run_id, shard));
            CREATE TABLE IF NOT EXISTS rpa_shard_attempts (
              run_id TEXT NOT NULL, shard INTEGER NOT NULL, attempt INTEGER NOT NULL, owner TEXT NOT NULL,
              started_ms BIGINT NOT NULL, finished_ms BIGINT NULL, status TEXT NULL, PRIMARY KEY (run_id, shard, attempt));
            CREATE TABLE IF NOT EXISTS rpa_items (
              run_id TEXT NOT NULL, item_id TEXT NOT NULL, shard INTEGER NOT NULL, position INTEGER NOT NULL, patient_id TEXT NULL,
              status TEXT NOT NULL, attempts INTEGER NOT NULL, elapsed_ms BIGINT NOT NULL, counts TEXT NOT NULL, reason TEXT NULL,
              updated_ms BIGINT NOT NULL, PRIMARY KEY (run_id, item_id));
            CREATE INDEX IF NOT EXISTS rpa_items_status ON rpa_items (run_id, status);
            """, null, cancellationToken);
    }

    /// <summary>Records a new run and its pending shards.</summary>
    public async Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await ExecAsync(connection, """
            INSERT INTO rpa_runs (id, tenant, ehr, playbook_id, playbook_version, trigger_name, inputs, status, shards, created_ms)
            VALUES (@id, @tenant, @ehr, @pid, @pver, @trig, @inputs, @status, @shards, @created)
            """, new()
        {
            ["id"] = run.Id, ["tenant"] = run.Tenant, ["ehr"] = run.Ehr, ["pid"] = run.PlaybookId, ["pver"] = run.PlaybookVersion,
            ["trig"] = run.Trigger, ["inputs"] = JsonSerializer.Serialize(run.Inputs, Json), ["status"] = Name(run.Status),
            ["shards"] = run.Shards, ["created"] = Ms(run.Created),
        }, cancellationToken, tx);
        for (var shard = 0; shard < run.Shards; shard++)
        {
            await ExecAsync(connection, "INSERT INTO rpa_shards (run_id, shard, status, attempts) VALUES (@id, @shard, 'pending', 0)",
                new() { ["id"] = run.Id, ["shard"] = shard }, cancellationToken, tx);
        }
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>The run, or null.</summary>
    public async Task<RunRecord?> GetRunAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT * FROM rpa_runs WHERE id = @id", new() { ["id"] = id }, ReadRun, cancellationToken)).FirstOrDefault();

    /// <summary>A tenant's runs, newest first.</summary>
    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(string tenant, int limit, CancellationToken cancellationToken) =>
        QueryAsync("SELECT * FROM rpa_runs WHERE tenant = @tenant ORDER BY created_ms DESC LIMIT @limit",
            new() { ["tenant"] = tenant, ["limit"] = limit }, ReadRun, cancellationToken);

    /// <summary>The runs that are not finished (for resuming at start-up).</summary>
    public Task<IReadOnlyList<RunRecord>> UnfinishedRunsAsync(CancellationToken cancellationToken) =>
        QueryAsync("SELECT * FROM rpa_runs WHERE status IN ('queued', 'running', 'cancelling')", [], ReadRun, cancellationToken);

    /// <summary>The run's shards.</summary>
    public Task<IReadOnlyList<ShardRecord>> ShardsAsync(string runId, CancellationToken cancellationToken) =>
        QueryAsync("SELECT * FROM rpa_shards WHERE run_id = @id ORDER BY shard", new() { ["id"] = runId }, r => new ShardRecord(
            r.GetString(r.GetOrdinal("run_id")), Int(r, "shard"), r.GetString(r.GetOrdinal("status")), Str(r, "owner"), Int(r, "attempts"),
            Time(r, "started_ms"), Time(r, "finished_ms"), Str(r, "reason")), cancellationToken);

    /// <summary>Every attempt at the run's shards, in the order they started.</summary>
    public Task<IReadOnlyList<ShardAttempt>> ShardAttemptsAsync(string runId, CancellationToken cancellationToken) =>
        QueryAsync("SELECT * FROM rpa_shard_attempts WHERE run_id = @id ORDER BY started_ms, shard, attempt", new() { ["id"] = runId }, r => new ShardAttempt(
            r.GetString(r.GetOrdinal("run_id")), Int(r, "shard"), Int(r, "attempt"), r.GetString(r.GetOrdinal("owner")), Time(r, "started_ms")!.Value,
            Time(r, "finished_ms"), Str(r, "status")), cancellationToken);

    /// <summary>
    /// Marks a shard as taken by <paramref name="owner"/> (a new attempt) and the run as running. Returns the run, or null
    /// when the run is finished or cancelled and the shard should not run.
    /// </summary>
    public async Task<RunRecord?> StartShardAsync(string runId, int shard, string owner, CancellationToken cancellationToken)
    {
        var now = Ms(_time.GetUtcNow());
        await using var connection = await OpenAsync(cancellationToken);
        await ExecAsync(connection, "UPDATE rpa_runs SET status = 'running', started_ms = COALESCE(started_ms, @now) WHERE id = @id AND status = 'queued'",
            new() { ["id"] = runId, ["now"] = now }, cancellationToken);
        var run = await GetRunAsync(runId, cancellationToken);
        if (run is null || run.Status is not RunStatus.Running)
        {
            return run is { Status: RunStatus.Cancelling } ? run : null;
        }
        var parameters = new Dictionary<string, object?> { ["id"] = runId, ["shard"] = shard, ["owner"] = owner, ["now"] = now };
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await ExecAsync(connection, """
            UPDATE rpa_shards SET status = 'running', owner = @owner, attempts = attempts + 1, started_ms = COALESCE(started_ms, @now)
            WHERE run_id = @id AND shard = @shard
            """, parameters, cancellationToken, tx);
        await ExecAsync(connection, """
            INSERT INTO rpa_shard_attempts (run_id, shard, attempt, owner, started_ms)
            SELECT run_id, shard, attempts, @owner, @now FROM rpa_shards WHERE run_id = @id AND shard = @shard
            """, parameters, cancellationToken, tx);
        await tx.CommitAsync(cancellationToken);
        return run;
    }

    /// <summary>Records the patient list's length (the largest any shard saw).</summary>
    public async Task SetPlannedAsync(string runId, int planned, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecAsync(connection, "UPDATE rpa_runs SET planned = @n WHERE id = @id AND (planned IS NULL OR planned < @n)",
            new() { ["id"] = runId, ["n"] = planned }, cancellationToken);
    }

    /// <summary>Item ids that need no more work in this run (succeeded, or in the review queue).</summary>
    public async Task<HashSet<string>> SettledItemsAsync(string runId, CancellationToken cancellationToken) =>
        [.. await QueryAsync("SELECT item_id FROM rpa_items WHERE run_id = @id AND status IN ('succeeded', 'review')",
            new() { ["id"] = runId }, r => r.GetString(0), cancellationToken)];

    /// <summary>Attempts so far per item id of the run.</summary>
    public async Task<Dictionary<string, int>> AttemptsAsync(string runId, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT item_id, attempts FROM rpa_items WHERE run_id = @id", new() { ["id"] = runId },
            r => (r.GetString(0), r.GetInt32(1)), cancellationToken)).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);

    /// <summary>Marks an item as being read now.</summary>
    public async Task StartItemAsync(string runId, string itemId, int shard, int position, string? patientId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecAsync(connection, """
            INSERT INTO rpa_items (run_id, item_id, shard, position, patient_id, status, attempts, elapsed_ms, counts, updated_ms)
            VALUES (@run, @item, @shard, @pos, @patient, 'running', 0, 0, '{}', @now)
            ON CONFLICT (run_id, item_id) DO UPDATE SET status = 'running', shard = excluded.shard, position = excluded.position,
              patient_id = excluded.patient_id, updated_ms = excluded.updated_ms
            """, new()
        {
            ["run"] = runId, ["item"] = itemId, ["shard"] = shard, ["pos"] = position, ["patient"] = patientId, ["now"] = Ms(_time.GetUtcNow()),
        }, cancellationToken);
    }

    /// <summary>Records how an item's attempt ended (attempts counted up by one).</summary>
    public async Task FinishItemAsync(ItemRecord item, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecAsync(connection, """
            UPDATE rpa_items SET status = @status, attempts = attempts + 1, elapsed_ms = @elapsed, counts = @counts, reason = @reason, updated_ms = @now
            WHERE run_id = @run AND item_id = @item
            """, new()
        {
            ["run"] = item.RunId, ["item"] = item.ItemId, ["status"] = Name(item.Status), ["elapsed"] = (long)item.Elapsed.TotalMilliseconds,
            ["counts"] = JsonSerializer.Serialize(item.Counts, Json), ["reason"] = item.Reason, ["now"] = Ms(_time.GetUtcNow()),
        }, cancellationToken);
    }

    /// <summary>Moves the run's items that are still failed into the review queue.</summary>
    public async Task SendFailedToReviewAsync(string runId, int shard, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecAsync(connection, "UPDATE rpa_items SET status = 'review' WHERE run_id = @id AND shard = @shard AND status = 'failed'",
            new() { ["id"] = runId, ["shard"] = shard }, cancellationToken);
    }

    /// <summary>A run's items, in list order.</summary>
    public Task<IReadOnlyList<ItemRecord>> ItemsAsync(string runId, CancellationToken cancellationToken) =>
        QueryAsync("SELECT * FROM rpa_items WHERE run_id = @id ORDER BY position, item_id", new() { ["id"] = runId }, ReadItem, cancellationToken);

    /// <summary>A tenant's review queue: items that failed every attempt, newest first.</summary>
    public Task<IReadOnlyList<ItemRecord>> ReviewQueueAsync(string tenant, int limit, CancellationToken cancellationToken) =>
        QueryAsync("""
            SELECT i.* FROM rpa_items i JOIN rpa_runs r ON r.id = i.run_id
            WHERE r.tenant = @tenant AND i.status = 'review' ORDER BY i.updated_ms DESC LIMIT @limit
            """, new() { ["tenant"] = tenant, ["limit"] = limit }, ReadItem, cancellationToken);

    /// <summary>Counts of a run's items by status and of its resources by type.</summary>
    public async Task<RunProgress> ProgressAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var items = await ItemsAsync(run.Id, cancellationToken);
        var resources = new SortedDictionary<string, ResourceCounts>(StringComparer.Ordinal);
        foreach (var (type, c) in items.SelectMany(i => i.Counts))
        {
            var had = resources.GetValueOrDefault(type) ?? new ResourceCounts(0, 0, 0);
            resources[type] = new ResourceCounts(had.Extracted + c.Extracted, had.Valid + c.Valid, had.Quarantined + c.Quarantined);
        }
        return new RunProgress(run.Planned ?? 0, items.Count(i => i.Status == ItemStatus.Succeeded), items.Count(i => i.Status == ItemStatus.Failed),
            items.Count(i => i.Status == ItemStatus.Review), items.Count(i => i.Status == ItemStatus.Running), resources);
    }

    /// <summary>Asks a run to stop. False when it had already finished.</summary>
    public async Task<bool> RequestCancelAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var changed = await ExecAsync(connection, "UPDATE rpa_runs SET status = 'cancelling' WHERE id = @id AND status IN ('queued', 'running')",
            new() { ["id"] = runId }, cancellationToken);
        return changed > 0;
    }

    /// <summary>Whether someone asked the run to stop.</summary>
    public async Task<bool> IsCancelRequestedAsync(string runId, CancellationToken cancellationToken) =>
        (await GetRunAsync(runId, cancellationToken))?.Status is RunStatus.Cancelling or RunStatus.Cancelled;

    /// <summary>
    /// Records how a shard ended and, when it was the last one, finishes the run: cancelled if asked, failed if a shard
    /// could not run and nothing was read, completed with failures if patients are in review, else succeeded.
    /// Returns the run's status afterwards.
    /// </summary>
    public async Task<RunStatus?> FinishShardAsync(string runId, int shard, string status, string? reason, CancellationToken cancellationToken)
    {
        var now = Ms(_time.GetUtcNow());
        await using var connection = await OpenAsync(cancellationToken);
        var parameters = new Dictionary<string, object?> { ["id"] = runId, ["shard"] = shard, ["status"] = status, ["reason"] = reason, ["now"] = now };
        await ExecAsync(connection, "UPDATE rpa_shards SET status = @status, reason = @reason, finished_ms = @now WHERE run_id = @id AND shard = @shard",
            parameters, cancellationToken);
        await ExecAsync(connection, """
            UPDATE rpa_shard_attempts SET status = @status, finished_ms = @now
            WHERE run_id = @id AND shard = @shard AND finished_ms IS NULL
              AND attempt = (SELECT attempts FROM rpa_shards WHERE run_id = @id AND shard = @shard)
            """, parameters, cancellationToken);
        var shards = await ShardsAsync(runId, cancellationToken);
        var run = await GetRunAsync(runId, cancellationToken);
        if (run is null || shards.Any(s => s.Status is "pending" or "running"))
        {
            return run?.Status;
        }
        var items = await ItemsAsync(runId, cancellationToken);
        var final = run.Status is RunStatus.Cancelling or RunStatus.Cancelled ? RunStatus.Cancelled
            : shards.Any(s => s.Status == "failed") && items.All(i => i.Status != ItemStatus.Succeeded) ? RunStatus.Failed
            : items.Any(i => i.Status is ItemStatus.Review or ItemStatus.Failed) || shards.Any(s => s.Status == "failed") ? RunStatus.CompletedWithFailures
            : RunStatus.Succeeded;
        var failure = shards.FirstOrDefault(s => s.Status == "failed")?.Reason;
        await ExecAsync(connection, "UPDATE rpa_runs SET status = @status, finished_ms = @now, reason = @reason WHERE id = @id AND finished_ms IS NULL",
            new() { ["id"] = runId, ["status"] = Name(final), ["now"] = now, ["reason"] = failure }, cancellationToken);
        return final;
    }

    /// <summary>
    /// Claims a shard for this worker, or returns null when a live worker holds it. In a cluster, Quartz may take a
    /// worker that is only slow (a long pause) for dead and hand its shard to another; the claim is what keeps the two
    /// from reading the same shard at once. On PostgreSQL it is a session-level advisory lock on a connection of its
    /// own, released when the claim is disposed or, when its worker dies (even by SIGKILL), when the connection drops.
    /// </summary>
    public async Task<ShardClaim?> TryClaimShardAsync(string runId, int shard, CancellationToken cancellationToken)
    {
        if (!IsPostgres)
        {
            return _local.TryClaim(runId, shard);
        }
        var connection = await OpenAsync(cancellationToken);
        var claim = new PostgresShardClaim(connection);
        try
        {
            if (await claim.TryLockAsync("rpa-shard:" + runId, shard, cancellationToken))
            {
                return claim;
            }
        }
        catch
        {
            await claim.DisposeAsync();
            throw;
        }
        await claim.DisposeAsync();
        return null;
    }

    /// <summary>Whether the store answers.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        _local.Dispose();
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await _source.OpenConnectionAsync(cancellationToken);

    private static async Task<int> ExecAsync(DbConnection connection, string sql, Dictionary<string, object?>? parameters, CancellationToken cancellationToken, DbTransaction? tx = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        Bind(command, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Dictionary<string, object?> parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Bind(command, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(read(reader));
        }
        return result;
    }

    private static void Bind(DbCommand command, Dictionary<string, object?>? parameters)
    {
        foreach (var (name, value) in parameters ?? [])
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }

    private RunRecord ReadRun(DbDataReader r) => new()
    {
        Id = r.GetString(r.GetOrdinal("id")),
        Tenant = r.GetString(r.GetOrdinal("tenant")),
        Ehr = r.GetString(r.GetOrdinal("ehr")),
        PlaybookId = r.GetString(r.GetOrdinal("playbook_id")),
        PlaybookVersion = r.GetString(r.GetOrdinal("playbook_version")),
        Trigger = r.GetString(r.GetOrdinal("trigger_name")),
        Inputs = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(r.GetOrdinal("inputs")), Json) ?? [],
        Status = Parse<RunStatus>(r.GetString(r.GetOrdinal("status"))),
        Shards = Int(r, "shards"),
        Created = Time(r, "created_ms")!.Value,
        Started = Time(r, "started_ms"),
        Finished = Time(r, "finished_ms"),
        Planned = r.IsDBNull(r.GetOrdinal("planned")) ? null : Int(r, "planned"),
        Reason = Str(r, "reason"),
    };

    private static ItemRecord ReadItem(DbDataReader r) => new()
    {
        RunId = r.GetString(r.GetOrdinal("run_id")),
        ItemId = r.GetString(r.GetOrdinal("item_id")),
        Shard = Int(r, "shard"),
        Position = Int(r, "position"),
        PatientId = Str(r, "patient_id"),
        Status = Parse<ItemStatus>(r.GetString(r.GetOrdinal("status"))),
        Attempts = Int(r, "attempts"),
        Elapsed = TimeSpan.FromMilliseconds(Convert.ToInt64(r.GetValue(r.GetOrdinal("elapsed_ms")), CultureInfo.InvariantCulture)),
        Counts = JsonSerializer.Deserialize<Dictionary<string, ResourceCounts>>(r.GetString(r.GetOrdinal("counts")), Json) ?? [],
        Reason = Str(r, "reason"),
        Updated = Time(r, "updated_ms")!.Value,
    };

    private static int Int(DbDataReader r, string column) => Convert.ToInt32(r.GetValue(r.GetOrdinal(column)), CultureInfo.InvariantCulture);

    private static string? Str(DbDataReader r, string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : r.GetString(r.GetOrdinal(column));

    private static DateTimeOffset? Time(DbDataReader r, string column) =>
        r.IsDBNull(r.GetOrdinal(column)) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(r.GetOrdinal(column)), CultureInfo.InvariantCulture));

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>snake_case of an enum member, as stored.</summary>
    internal static string Name<T>(T value) where T : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static T Parse<T>(string stored) where T : struct, Enum =>
        Enum.Parse<T>(stored.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);
}
