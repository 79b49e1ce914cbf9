using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace RpaWorker.Ai.Caching;

/// <summary>
/// Answers already given, keyed by a hash of the screen fingerprint and the exact question sent, so the same
/// question is never asked twice. A SQLite file when configured (answers outlive the process), else an in-memory
/// database. Keys are SHA-256 hashes: the file never holds a prompt. Answers to screen questions (an index, a kind, a
/// handler name) hold no PHI; extraction answers do, and are stored only when configured.
/// </summary>
internal sealed class AnswerCache : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    public AnswerCache(string? path, TimeProvider time)
    {
        _time = time;
        string source;
        if (string.IsNullOrWhiteSpace(path))
        {
            source = "Data Source=:memory:";
        }
        else
        {
            var full = System.IO.Path.GetFullPath(path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            source = new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString();
        }
        _connection = new SqliteConnection(source);
        try
        {
            _connection.Open();
            Execute("PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS answers(key TEXT PRIMARY KEY, operation TEXT NOT NULL, answer TEXT NOT NULL, stored_at TEXT NOT NULL)");
        }
        catch (SqliteException ex)
        {
            _connection.Dispose();
            throw new RpaWorkerException($"the AI answer cache '{path}' cannot be opened (Ai:Cache:Path): {ex.SqliteErrorCode}", ex);
        }
    }

    /// <summary>The cache key of a question.</summary>
    public static string Key(params string[] parts)
    {
        var joined = string.Join('\u001f', parts);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined)));
    }

    public string? Get(string key)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT answer FROM answers WHERE key = $key";
            command.Parameters.AddWithValue("$key", key);
            return command.ExecuteScalar() as string;
        }
    }

    public void Put(string key, string operation, string answer)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT OR REPLACE INTO answers(key, operation, answer, stored_at) VALUES ($key, $operation, $answer, $at)";
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$operation", operation);
            command.Parameters.AddWithValue("$answer", answer);
            command.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O"));
            command.ExecuteNonQuery();
        }
    }

    public void Remove(string key)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM answers WHERE key = $key";
            command.Parameters.AddWithValue("$key", key);
            command.ExecuteNonQuery();
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }
}
