using System.CommandLine;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Export;

namespace RpaWorker.Cli.Commands;

/// <summary>
/// <c>rpa demo</c>: the main job on embedded defaults. Starts the mock EHR on generated patients, checks that its
/// pages answer, writes the ground truth a run will be scored against, and keeps serving for a person to browse.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var patients = new Option<int>("--patients") { Description = "How many patients to generate.", DefaultValueFactory = _ => MockEhrDataSpec.DefaultGeneratedCount };
        var seed = new Option<int>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => MockEhrDataSpec.DefaultSeed };
        var port = new Option<int>("--port") { Description = "Port for the mock EHR; 0 picks a free port.", DefaultValueFactory = _ => 0 };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Output folder.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "demo")) };
        var noWait = new Option<bool>("--no-wait") { Description = "Exit when done instead of serving until Ctrl+C." };
        var command = new Command("demo", "Run the demo against the bundled mock EHR on generated data.")
        {
            patients, seed, port, outDir, noWait,
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

            using (var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) })
            {
                using var response = await http.GetAsync("/", cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"error: the mock EHR answered {(int)response.StatusCode} on its login page");
                    return ExitCodes.CouldNotRun;
                }
                Console.WriteLine($"Login page answers: HTTP {(int)response.StatusCode}");
            }

            var truth = Path.Combine(parse.GetValue(outDir)!.FullName, "ground-truth");
            var counts = GroundTruthExporter.Export(store, truth, cancellationToken);
            Console.WriteLine($"Ground truth ({counts.Values.Sum()} resources) written to {truth}");
            MockEhrCommand.PrintCounts(counts);

            if (parse.GetValue(noWait))
            {
                return ExitCodes.Ok;
            }
            await MockEhrCommand.ServeUntilCancelledAsync($"Open {server.BaseAddress} in a browser to look around. Press Ctrl+C to stop.", cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
