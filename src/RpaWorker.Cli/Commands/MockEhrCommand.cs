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
        var skin = SkinOption();
        var defaults = new MockEhrOptions();
        var user = UserOption();
        var password = PasswordOption();
        var totp = new Option<string?>("--totp-secret") { Description = "Base32 TOTP secret; when given, login asks for a 6-digit code as a second step." };
        var idle = new Option<TimeSpan>("--idle-timeout") { Description = "Idle time after which a session expires (e.g. 15m, 30s).", CustomParser = OptionParsers.Duration, DefaultValueFactory = _ => defaults.IdleTimeout };
        var latency = new Option<TimeSpan>("--latency") { Description = "Fixed delay added to every page (e.g. 200ms).", CustomParser = OptionParsers.Duration, DefaultValueFactory = _ => TimeSpan.Zero };
        var jitter = new Option<TimeSpan>("--latency-jitter") { Description = "Extra random delay per page, up to this (e.g. 500ms).", CustomParser = OptionParsers.Duration, DefaultValueFactory = _ => TimeSpan.Zero };
        var popupRate = PopupRateOption();
        var errorRate = new Option<double>("--error-rate") { Description = "Share of page requests answered with HTTP 500 (0..1 or 5%).", CustomParser = OptionParsers.Rate };
        var pageSize = new Option<int>("--page-size") { Description = "Rows per page in long lists.", DefaultValueFactory = _ => defaults.PageSize };
        var faultSeed = FaultSeedOption();

        var command = new Command("mock-ehr", "Serve the bundled mock legacy EHR (web) on 127.0.0.1 until Ctrl+C.")
        {
            data, db, host, port, skin, user, password, totp, idle, latency, jitter, popupRate, errorRate, pageSize, faultSeed,
            CreateExport(),
            CreateDesktop(),
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
            var options = Shared(parse, skin, user, password, popupRate, faultSeed) with
            {
                TotpSecret = parse.GetValue(totp),
                IdleTimeout = parse.GetValue(idle),
                Latency = parse.GetValue(latency),
                LatencyJitter = parse.GetValue(jitter),
                ErrorRate = parse.GetValue(errorRate),
                PageSize = parse.GetValue(pageSize),
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

    private static Command CreateDesktop()
    {
        var data = DataOption();
        var db = DbOption();
        var skin = SkinOption();
        var user = UserOption();
        var password = PasswordOption();
        var popupRate = PopupRateOption();
        var faultSeed = FaultSeedOption();
        var appName = new Option<string>("--app-name")
        {
            Description = "Application name that AT-SPI clients find the window by (atspi://NAME).",
            DefaultValueFactory = _ => MockEhrDesktop.DefaultAppName,
        };
        var windowWidth = new Option<int>("--window-width")
        {
            Description = "Width of the window in pixels; wide lists scroll sideways below what they need (the pixel driver reads only " +
                          "what is drawn: give it 1900 on a 1920-wide screen).",
            DefaultValueFactory = _ => 1024,
        };
        windowWidth.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 640 or > 8192)
            {
                r.AddError("--window-width must be from 640 to 8192");
            }
        });
        var command = new Command("desktop",
            "Show the mock EHR as a desktop (GTK 3) window over the same records, until Ctrl+C or the window is closed. " +
            "Needs an X display; AT-SPI clients need a session bus (e.g. xvfb-run -a dbus-run-session -- rpa mock-ehr desktop).")
        {
            data, db, skin, user, password, popupRate, faultSeed, appName, windowWidth,
        };
        appName.Validators.Add(r =>
        {
            if (string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>()))
            {
                r.AddError("--app-name must not be empty");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var store = OpenStore(parse.GetValue(data), parse.GetValue(db), cancellationToken);
            if (store is null)
            {
                return ExitCodes.CouldNotRun;
            }
            var options = Shared(parse, skin, user, password, popupRate, faultSeed) with { WindowWidth = parse.GetValue(windowWidth) };
            if (MockEhrDesktop.AccessibilityProblem() is { } problem)
            {
                Console.Error.WriteLine($"warning: {problem}.");
            }
            RunningDesktopEhr window;
            try
            {
                window = await MockEhrDesktop.StartAsync(store, options, parse.GetValue(appName)!, cancellationToken: cancellationToken);
            }
            catch (MockEhrDesktopException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.CouldNotRun;
            }
            await using (window)
            {
                Console.WriteLine($"Desktop mock EHR ({options.Skin.ToString().ToLowerInvariant()} skin) showing {store.CountPatients()} patients");
                Console.WriteLine($"Application: {window.AppName} (driver address atspi://{window.AppName})");
                // A driver reaches the window only on the same display and session bus: say which, for another shell.
                Console.WriteLine($"Display and bus: export DISPLAY='{Environment.GetEnvironmentVariable("DISPLAY")}' " +
                                  $"DBUS_SESSION_BUS_ADDRESS='{Environment.GetEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS")}'");
                Console.WriteLine($"Log in as {options.UserName} / {options.Password}");
                Console.WriteLine("Press Ctrl+C or close the window to stop.");
                try
                {
                    await window.Closed.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Console.WriteLine("Stopping.");
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The options the web and desktop mocks share.</summary>
    private static MockEhrOptions Shared(ParseResult parse, Option<MockEhrSkin> skin, Option<string> user, Option<string> password,
        Option<double> popupRate, Option<int> faultSeed) => new()
        {
            Skin = parse.GetValue(skin),
            UserName = parse.GetValue(user)!,
            Password = parse.GetValue(password)!,
            PopupRate = parse.GetValue(popupRate),
            FaultSeed = parse.GetValue(faultSeed),
        };

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

    internal static Option<MockEhrSkin> SkinOption() => new("--skin")
    {
        Description = "Layout: v1, or v2 (a vendor upgrade that moves and renames things).",
        DefaultValueFactory = _ => MockEhrSkin.V1,
    };

    internal static Option<string> UserOption() => new("--user") { Description = "Login user name.", DefaultValueFactory = _ => new MockEhrOptions().UserName };

    internal static Option<string> PasswordOption() => new("--password")
    {
        Description = "Login password (a mock credential, not a secret).",
        DefaultValueFactory = _ => new MockEhrOptions().Password,
    };

    internal static Option<double> PopupRateOption() => new("--popup-rate")
    {
        Description = "Share of chart openings that show a reminder popup (0..1 or 5%).",
        CustomParser = OptionParsers.Rate,
    };

    internal static Option<int> FaultSeedOption() => new("--fault-seed") { Description = "Seed for fault randomness, to repeat a run; 0 is random." };

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
