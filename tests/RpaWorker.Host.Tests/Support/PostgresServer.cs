using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace RpaWorker.Host.Tests.Support;

/// <summary>
/// A real PostgreSQL server for the tests of a class: initdb in a temporary folder, listening on 127.0.0.1 and a free
/// port (its socket in that folder too), stopped and deleted afterwards. Each test takes a database of its own. The
/// server binaries are looked for on PATH, then in /usr/lib/postgresql/*/bin (Debian's <c>postgresql</c> package);
/// without them every test of the class fails, saying so. As root, the server runs as the <c>postgres</c> user, since
/// PostgreSQL refuses to run as root.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string User = "rpa";
    private string? _root;
    private string? _bin;
    private string? _options;

    /// <summary>The port the server listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>Initialises and starts the server.</summary>
    public async Task InitializeAsync()
    {
        _bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/*/bin. " +
            "Install the Debian package 'postgresql' (eng/setup.sh does).");
        _root = Directory.CreateTempSubdirectory("rpa-pg-").FullName;
        Directory.CreateDirectory(Path.Combine(_root, "sock"));
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root]);
        }
        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", DataDirectory, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"], asServer: true);
        // A port found free can be taken before the server binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            _options = $"-p {Port} -h 127.0.0.1 -k {Path.Combine(_root, "sock")} -c fsync=off -c synchronous_commit=off -c max_connections=300";
            var (exit, output) = await StartServerAsync(check: false);
            if (exit == 0)
            {
                break;
            }
            if (attempt == 3)
            {
                throw new InvalidOperationException($"PostgreSQL did not start (pg_ctl exit {exit}): {output}\n{ServerLog()}");
            }
        }
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
    }

    /// <summary>
    /// Stops the server the way a restart for maintenance does: every connection is ended. A fast shutdown, not an
    /// immediate one, since the server runs with <c>synchronous_commit=off</c> and a crash would lose the last commits.
    /// </summary>
    public async Task StopAsync() =>
        await RunAsync(Path.Combine(_bin!, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "stop"], asServer: true);

    /// <summary>Starts the server again after <see cref="StopAsync"/>, on the same port, with its databases.</summary>
    public async Task StartAgainAsync() => await StartServerAsync(check: true);

    /// <summary>Creates an empty database and returns its Npgsql connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>The database of a connection string as a <c>postgres://</c> URL, the way an operator configures it.</summary>
    public static string Url(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>Stops the server (immediately: the data is thrown away) and deletes its folder.</summary>
    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_root is null || _bin is null)
        {
            return;
        }
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], asServer: true, check: false);
        }
        Directory.Delete(_root, recursive: true);
    }

    private string DataDirectory => Path.Combine(_root!, "data");

    private Task<(int Exit, string Output)> StartServerAsync(bool check) =>
        RunAsync(Path.Combine(_bin!, "pg_ctl"), ["-D", DataDirectory, "-l", Path.Combine(_root!, "server.log"), "-w", "-t", "120", "-o", _options!, "start"], asServer: true, check: check);

    private static bool IsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Database = database,
        Pooling = true,
    }.ConnectionString;

    private string ServerLog()
    {
        var log = Path.Combine(_root!, "server.log");
        return File.Exists(log) ? File.ReadAllText(log) : "";
    }

    private static string? FindBinaries()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var major) ? major : 0)
            : Enumerable.Empty<string>();
        return path.Concat(debian).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, IReadOnlyList<string> args, bool asServer = false, bool check = true)
    {
        var psi = new ProcessStartInfo(asServer && IsRoot ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asServer && IsRoot)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program })
            {
                psi.ArgumentList.Add(a);
            }
        }
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        // pg_ctl hands the server a log file (-l) for its output, so these pipes close when pg_ctl exits.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed (exit {process.ExitCode}): {output}");
        }
        return (process.ExitCode, output);
    }
}
