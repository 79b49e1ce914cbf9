using System.CommandLine;
using RpaWorker.Host.Extraction;
using RpaWorker.MockEhr;
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

    public static Command Create()
    {
        var patients = new Option<int>("--patients") { Description = "How many patients to generate.", DefaultValueFactory = _ => MockEhrDataSpec.DefaultGeneratedCount };
        var seed = new Option<int>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => MockEhrDataSpec.DefaultSeed };
        var port = new Option<int>("--port") { Description = "Port for the mock EHR; 0 picks a free port.", DefaultValueFactory = _ => 0 };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Output folder.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "demo")) };
        var serve = new Option<bool>("--serve") { Description = "Keep the mock EHR running after the run, to browse it, until Ctrl+C." };
        var command = new Command("demo", "Run the chart playbook over the bundled mock EHR's generated patients and write US Core NDJSON.")
        {
            patients, seed, port, outDir, serve,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(patients);
            if (n < 1)
            {
                Console.Error.WriteLine("error: --patients must be at least 1");
                return ExitCodes.CouldNotRun;
            }
            using var store = MockEhrCommand.OpenStore($"generated:{n}:{parse.GetValue(seed)}", null, cancellationToken);
            if (store is null)
            {
                return ExitCodes.CouldNotRun;
            }
            var options = new MockEhrOptions();
            await using var server = await MockEhrCommand.StartAsync(store, options, "127.0.0.1", parse.GetValue(port), cancellationToken);
            if (server is null)
            {
                return ExitCodes.CouldNotRun;
            }
            MockEhrCommand.PrintBanner(server, store, options);

            var output = parse.GetValue(outDir)!.FullName;
            var truth = Path.Combine(output, "ground-truth");
            var counts = GroundTruthExporter.Export(store, truth, cancellationToken);
            Console.WriteLine($"Ground truth of what the screens show ({counts.Values.Sum()} resources) written to {truth}");

            var exit = await RunCommand.ExecuteAsync(new RunSettings
            {
                Playbook = PlaybookLoader.LoadText(PlaybookResource, Embedded(PlaybookResource)!, imports: Embedded),
                EhrUrl = server.BaseAddress.ToString(),
                OutDirectory = Path.Combine(output, "fhir"),
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

    /// <summary>An embedded playbook file by its path in the repository (the imports of the demo playbook resolve to those), or null.</summary>
    private static string? Embedded(string path)
    {
        using var stream = typeof(DemoCommand).Assembly.GetManifestResourceStream(path);
        if (stream is null)
        {
            return path == PlaybookResource ? throw new RpaWorkerException($"the embedded playbook {PlaybookResource} is missing from this build") : null;
        }
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
