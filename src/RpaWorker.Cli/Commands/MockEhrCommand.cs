using System.CommandLine;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Export;

namespace RpaWorker.Cli.Commands;

/// <summary><c>rpa mock-ehr</c>: serves the bundled legacy EHR; <c>rpa mock-ehr export</c> writes its ground truth.</summary>
internal static class MockEhrCommand
{
    public static Command Create()
    {
        var data = DataOption();
        var db = DbOption();
        var host = new Option<string>("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on; 0 picks a free port and prints it.", DefaultValueFactory = _ => 5080 };
        var skin = new Option<MockEhrSkin>("--skin") { Description = "Layout: v1, or v2 (a vendor upgrade that moves and renames things).", DefaultValueFactory = _ => MockEhrSkin.V1 };
        var defaults = new MockEhrOptions();
        var user = new Option<string>("--user") { Description = "Login user name.", DefaultValueFactory = _ => defaults.UserName };
        var password = new Option<string>("--password") { Description = "Login password (a mock credential, not a secret).", DefaultValueFactory = _ => defaults.Password };
        var totp = new Option<string?>("--totp-secret") { Description = "Base32 TOTP secret; when given, login asks for a 6-digit code as a second step." };
        var idle = new Option<TimeSpan>("--idle-timeout") { Description = "Idle time after which a session expires (e.g. 15m, 30s).", CustomParser = OptionParsers.Duration, DefaultValueFactory = _ => defaults.IdleTimeout };
        var latency = new Option<TimeSpan>("--latency") { Description = "Fixed delay added to every page (e.g. 200ms).", CustomParser = OptionParsers.Duration, DefaultValueFactory = _ => TimeSpan.Zero };
        var jitter = new Option<TimeSpan>("--latency-jitter") { Description = "Extra random delay per page, up to this (e.g. 500ms).", CustomParser = OptionParsers.Duration, DefaultValueFactory = _ => TimeSpan.Zero };
        var popupRate = new Option<double>("--popup-rate") { Description = "Share of chart openings that show a reminder popup (0..1 or 5%).", CustomParser = OptionParsers.Rate };
        var errorRate = new Option<double>("--error-rate") { Description = "Share of page requests answered with HTTP 500 (0..1 or 5%).", CustomParser = OptionParsers.Rate };
        var pageSize = new Option<int>("--page-size") { Description = "Rows per page in long lists.", DefaultValueFactory = _ => defaults.PageSize };
        var faultSeed = new Option<int>("--fault-seed") { Description = "Seed for fault randomness, to repeat a run; 0 is random." };

        var command = new Command("mock-ehr", "Serve the bundled mock legacy EHR (web) on 127.0.0.1 until Ctrl+C.")
        {
            data, db, host, port, skin, user, password, totp, idle, latency, jitter, popupRate, errorRate, pageSize, faultSeed,
            CreateExport(),
        };
        pageSize.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--page-size must be at least 1");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var store = OpenStore(parse.GetValue(data), parse.GetValue(db), cancellationToken);
            if (store is null)
            {
                return ExitCodes.CouldNotRun;
            }
            var options = new MockEhrOptions
            {
                Skin = parse.GetValue(skin),
                UserName = parse.GetValue(user)!,
                Password = parse.GetValue(password)!,
                TotpSecret = parse.GetValue(totp),
                IdleTimeout = parse.GetValue(idle),
                Latency = parse.GetValue(latency),
                LatencyJitter = parse.GetValue(jitter),
                PopupRate = parse.GetValue(popupRate),
                ErrorRate = parse.GetValue(errorRate),
                PageSize = parse.GetValue(pageSize),
                FaultSeed = parse.GetValue(faultSeed),
            };
            await using var server = await StartAsync(store, options, parse.GetValue(host)!, parse.GetValue(port), cancellationToken);
            if (server is null)
            {
                return ExitCodes.CouldNotRun;
            }
            PrintBanner(server, store, options);
            await ServeUntilCancelledAsync("Press Ctrl+C to stop.", cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateExport()
    {
        var data = DataOption();
        var db = DbOption();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder for the NDJSON files (one per resource type).", Required = true };
        var command = new Command("export", "Write FHIR R4 NDJSON of exactly what the mock EHR's screens show (ground truth for tests and scoring).")
        {
            data, db, outDir,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            using var store = OpenStore(parse.GetValue(data), parse.GetValue(db), cancellationToken);
            if (store is null)
            {
                return Task.FromResult(ExitCodes.CouldNotRun);
            }
            var dir = parse.GetValue(outDir)!.FullName;
            var counts = GroundTruthExporter.Export(store, dir, cancellationToken);
            Console.WriteLine($"Wrote ground truth for {store.CountPatients()} patients to {dir}");
            PrintCounts(counts);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    internal static Option<string?> DataOption() => new("--data")
    {
        Description = "Records to serve: generated:N[:seed] (deterministic demo data) or a folder of FHIR R4 bundles. " +
                      $"Default generated:{MockEhrDataSpec.DefaultGeneratedCount}:{MockEhrDataSpec.DefaultSeed}, or what --db already holds.",
    };

    internal static Option<FileInfo?> DbOption() => new("--db")
    {
        Description = "SQLite file to keep the records in (default: in memory). An existing file is reused when --data is not given.",
    };

    /// <summary>Opens the store and loads the data source into it; prints the error and returns null when it cannot.</summary>
    internal static LegacyStore? OpenStore(string? dataText, FileInfo? dbFile, CancellationToken cancellationToken)
    {
        MockEhrDataSpec? spec = null;
        if (dataText is not null && (spec = MockEhrDataSpec.TryParse(dataText, out var error)) is null)
        {
            Console.Error.WriteLine($"error: --data: {error}");
            return null;
        }
        LegacyStore store;
        try
        {
            store = dbFile is null ? LegacyStore.InMemory() : LegacyStore.OpenFile(dbFile.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            Console.Error.WriteLine($"error: --db: cannot open '{dbFile?.FullName}': {ex.Message}");
            return null;
        }
        if (spec is null && store.CountPatients() > 0)
        {
            Console.WriteLine($"Using the {store.CountPatients()} patients already in {dbFile!.FullName}");
            return store;
        }
        if (spec is not null && store.CountPatients() > 0)
        {
            Console.Error.WriteLine($"error: --db: '{dbFile!.FullName}' already holds patients; give a new file, or leave out --data to reuse it");
            store.Dispose();
            return null;
        }
        spec ??= MockEhrDataSpec.TryParse("generated", out _)!;
        var report = spec.LoadInto(store, cancellationToken);
        if (report is not null)
        {
            Console.WriteLine(report.ToString());
        }
        return store;
    }

    internal static async Task<RunningMockEhr?> StartAsync(LegacyStore store, MockEhrOptions options, string host, int port, CancellationToken cancellationToken)
    {
        try
        {
            return await MockEhrServer.StartAsync(store, options, host, port, cancellationToken: cancellationToken);
        }
        catch (IOException ex)
        {
            // Kestrel reports an address in use as an IOException; say what to do about it.
            Console.Error.WriteLine($"error: cannot listen on {host}:{port}: {ex.Message} (use --port 0 to pick a free port)");
            return null;
        }
    }

    /// <summary>Prints resource counts per type, one line each, in name order.</summary>
    internal static void PrintCounts(IReadOnlyDictionary<string, int> counts)
    {
        foreach (var (type, count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {type,-20} {count,7}");
        }
    }

    /// <summary>Keeps serving until Ctrl+C (or SIGTERM), then says it is stopping.</summary>
    internal static async Task ServeUntilCancelledAsync(string prompt, CancellationToken cancellationToken)
    {
        Console.WriteLine(prompt);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("Stopping.");
        }
    }

    internal static void PrintBanner(RunningMockEhr server, LegacyStore store, MockEhrOptions options)
    {
        Console.WriteLine($"Mock EHR ({options.Skin.ToString().ToLowerInvariant()} skin) serving {store.CountPatients()} patients");
        Console.WriteLine($"Listening on {server.BaseAddress}");
        Console.WriteLine($"Log in as {options.UserName} / {options.Password}" + (options.TotpSecret is null ? "" : " (then a TOTP code)"));
    }
}
