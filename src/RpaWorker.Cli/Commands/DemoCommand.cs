using System.CommandLine;
using RpaWorker.Host.Extraction;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Export;
using RpaWorker.Playbooks;

namespace RpaWorker.Cli.Commands;

/// <summary>
/// <c>rpa demo</c>: the main job on embedded defaults. Starts the mock EHR on generated patients, runs the shipped
/// chart playbook over every patient in a real browser, writes US Core NDJSON and prints the summary; writes the
/// mock's ground truth beside it for comparison.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The chart playbook, embedded in the tool.</summary>
    public const string PlaybookResource = "playbooks/mock-ehr/chart.yaml";

    /// <summary>The desktop (AT-SPI) chart playbook, embedded in the tool.</summary>
    public const string DesktopPlaybookResource = "playbooks/mock-ehr-desktop/chart.yaml";

    public static Command Create()
    {
        var patients = new Option<int>("--patients") { Description = "How many patients to generate.", DefaultValueFactory = _ => MockEhrDataSpec.DefaultGeneratedCount };
        var seed = new Option<int>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => MockEhrDataSpec.DefaultSeed };
        var port = new Option<int>("--port") { Description = "Port for the mock EHR; 0 picks a free port.", DefaultValueFactory = _ => 0 };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Output folder.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "demo")) };
        var serve = new Option<bool>("--serve") { Description = "Keep the mock EHR running after the run, to browse it, until Ctrl+C." };
        var driver = new Option<string>("--driver")
        {
            Description = "web: the web mock in a headless browser; atspi: the desktop mock (a GTK window) through the accessibility tree, " +
                          "on a display and session bus of its own when none is set.",
            DefaultValueFactory = _ => "web",
        };
        driver.AcceptOnlyFromAmong("web", "atspi");
        var command = new Command("demo", "Run the chart playbook over the bundled mock EHR's generated patients and write US Core NDJSON.")
        {
            patients, seed, port, outDir, serve, driver,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(patients);
            if (n < 1)
            {
                Console.Error.WriteLine("error: --patients must be at least 1");
                return ExitCodes.CouldNotRun;
            }
            var desktop = parse.GetValue(driver) == "atspi";
            if (desktop && parse.GetValue(serve))
            {
                Console.Error.WriteLine("error: --serve keeps the web mock EHR up; with --driver atspi start the desktop one with `rpa mock-ehr desktop`");
                return ExitCodes.CouldNotRun;
            }
            var data = $"generated:{n}:{parse.GetValue(seed)}";
            using var store = MockEhrCommand.OpenStore(data, null, cancellationToken);
            if (store is null)
            {
                return ExitCodes.CouldNotRun;
            }
            var options = new MockEhrOptions();
            var output = parse.GetValue(outDir)!.FullName;
            if (desktop)
            {
                return await RunDesktopAsync(store, data, options, output, cancellationToken);
            }
            await using var server = await MockEhrCommand.StartAsync(store, options, "127.0.0.1", parse.GetValue(port), cancellationToken);
            if (server is null)
            {
                return ExitCodes.CouldNotRun;
            }
            MockEhrCommand.PrintBanner(server, store, options);

            WriteGroundTruth(store, output, cancellationToken);

            var exit = await RunCommand.ExecuteAsync(new RunSettings
            {
                Playbook = PlaybookLoader.LoadText(PlaybookResource, Embedded(PlaybookResource)!, imports: Embedded),
                EhrUrl = server.BaseAddress.ToString(),
                OutDirectory = Path.Combine(output, "fhir"),
                // What healing learns about the embedded playbook's screens stays with the demo's output.
                HealStore = Path.Combine(output, "chart.heal.json"),
                Secrets = SecretStore.Of("mock-ehr", options.UserName, options.Password),
            }, cancellationToken);

            if (parse.GetValue(serve))
            {
                await MockEhrCommand.ServeUntilCancelledAsync($"Open {server.BaseAddress} in a browser to look around. Press Ctrl+C to stop.", cancellationToken);
            }
            return exit;
        });
        return command;
    }

    private static void WriteGroundTruth(LegacyStore store, string output, CancellationToken cancellationToken)
    {
        var truth = Path.Combine(output, "ground-truth");
        var counts = GroundTruthExporter.Export(store, truth, cancellationToken);
        Console.WriteLine($"Ground truth of what the screens show ({counts.Values.Sum()} resources) written to {truth}");
    }

    /// <summary>
    /// The desktop route: the run starts the desktop mock EHR itself (this same tool, <c>mock-ehr desktop</c> on the same
    /// generated data) through the address's <c>exec=</c>, on a display and session bus of its own when none is set, and
    /// ends it afterwards.
    /// </summary>
    private static async Task<int> RunDesktopAsync(LegacyStore store, string data, MockEhrOptions options, string output, CancellationToken cancellationToken)
    {
        var app = $"meddesk-demo-{Environment.ProcessId}";
        var self = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? [host, Environment.GetCommandLineArgs()[0]]
            : new[] { Environment.ProcessPath ?? "rpa" };
        if (self.Any(p => p.Contains(' ', StringComparison.Ordinal)))
        {
            Console.Error.WriteLine($"error: the desktop demo starts this tool again, and its path has a space in it ({string.Join(" ", self)}); install it elsewhere");
            return ExitCodes.CouldNotRun;
        }
        var exec = string.Join(' ', [.. self, "mock-ehr", "desktop", "--data", data, "--app-name", app]);
        Console.WriteLine($"Desktop mock EHR: {store.ListPatients().Count} patients, application '{app}', started by the run");
        WriteGroundTruth(store, output, cancellationToken);
        return await RunCommand.ExecuteAsync(new RunSettings
        {
            Playbook = PlaybookLoader.LoadText(DesktopPlaybookResource, Embedded(DesktopPlaybookResource)!, imports: Embedded),
            EhrUrl = $"atspi://{app}?exec={Uri.EscapeDataString(exec)}",
            OutDirectory = Path.Combine(output, "fhir"),
            // What healing learns about the embedded playbook's screens stays with the demo's output.
            HealStore = Path.Combine(output, "chart.heal.json"),
            Secrets = SecretStore.Of("mock-ehr", options.UserName, options.Password),
        }, cancellationToken);
    }

    /// <summary>An embedded playbook file by its path in the repository (the imports of the demo playbook resolve to those), or null.</summary>
    private static string? Embedded(string path)
    {
        using var stream = typeof(DemoCommand).Assembly.GetManifestResourceStream(path);
        if (stream is null)
        {
            return path is PlaybookResource or DesktopPlaybookResource ? throw new RpaWorkerException($"the embedded playbook {path} is missing from this build") : null;
        }
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
