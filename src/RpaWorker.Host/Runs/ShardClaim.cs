using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;

namespace RpaWorker.Host.Runs;

/// <summary>
/// A worker's hold on one shard of a run (see <see cref="RunStore.TryClaimShardAsync"/>), and through it on one of its
/// EHR's session slots: the EHR's session cap. Dispose it when the shard's session has closed.
/// </summary>
public abstract class ShardClaim : IAsyncDisposable
{
    /// <summary>
    /// Takes one of the <paramref name="slots"/> session slots of <paramref name="ehr"/>, or returns false when every
    /// one is taken (by this worker or another). The slot is given back with the claim.
    /// </summary>
    public abstract Task<bool> TryTakeSessionSlotAsync(string ehr, int slots, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}

/// <summary>
/// A claim and slot held as PostgreSQL session-level advisory locks on one connection, so both hold across every
/// worker sharing the database and both are freed when the connection drops with a dead worker.
/// </summary>
internal sealed class PostgresShardClaim(DbConnection connection) : ShardClaim
{
    private readonly List<(int Key, int Value)> _locks = [];

    public async Task<bool> TryLockAsync(string name, int value, CancellationToken cancellationToken)
    {
        var key = BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0);
        if (!await CallAsync("pg_try_advisory_lock", key, value, cancellationToken))
        {
            return false;
        }
        _locks.Add((key, value));
        return true;
    }

    public override async Task<bool> TryTakeSessionSlotAsync(string ehr, int slots, CancellationToken cancellationToken)
    {
        for (var slot = 0; slot < slots; slot++)
        {
            if (await TryLockAsync("rpa-session:" + ehr, slot, cancellationToken))
            {
                return true;
            }
        }
        return false;
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            // Unlocked one by one: a pooled connection is not closed, and its locks would outlive the claim.
            foreach (var (key, value) in _locks)
            {
                await CallAsync("pg_advisory_unlock", key, value, CancellationToken.None);
            }
        }
        catch (DbException)
        {
            // The connection broke: the server ended its session, and the locks with it.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    private async Task<bool> CallAsync(string function, int key, int value, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {function}(@key, @value)";
        foreach (var (name, v) in new[] { ("@key", key), ("@value", value) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = v;
            command.Parameters.Add(parameter);
        }
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }
}

/// <summary>Claims and slots of the one process that uses a SQLite store.</summary>
internal sealed class LocalShardClaims : IDisposable
{
    private readonly ConcurrentDictionary<string, byte> _shards = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _slots = new(StringComparer.Ordinal);

    public ShardClaim? TryClaim(string runId, int shard)
    {
        var key = $"{runId}/{shard}";
        return _shards.TryAdd(key, 0) ? new Claim(this, key) : null;
    }

    public void Dispose()
    {
        foreach (var gate in _slots.Values)
        {
            gate.Dispose();
        }
    }

    private sealed class Claim(LocalShardClaims owner, string key) : ShardClaim
    {
        private SemaphoreSlim? _slot;
        private int _released;

        public override async Task<bool> TryTakeSessionSlotAsync(string ehr, int slots, CancellationToken cancellationToken)
        {
            var gate = owner._slots.GetOrAdd(ehr, _ => new SemaphoreSlim(slots, slots));
            if (!await gate.WaitAsync(TimeSpan.Zero, cancellationToken))
            {
                return false;
            }
            _slot = gate;
            return true;
        }

        public override ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                try
                {
                    _slot?.Release();
                }
                catch (ObjectDisposedException)
                {
                    // The store closed while the shard was finishing (the worker is stopping): no slot is left to give back.
                }
                owner._shards.TryRemove(key, out _);
            }
            return ValueTask.CompletedTask;
        }
    }
}
