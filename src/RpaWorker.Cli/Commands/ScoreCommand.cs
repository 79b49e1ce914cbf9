using System.CommandLine;
using RpaWorker.Cli.Running;

namespace RpaWorker.Cli.Commands;

/// <summary><c>rpa score</c>: precision, recall and field accuracy of a run's NDJSON against the mock EHR's ground truth.</summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var truth = new Option<DirectoryInfo>("--truth") { Description = "Ground truth NDJSON folder (rpa mock-ehr export).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "The run's NDJSON folder.", Required = true };
        var command = new Command("score", "Score a run's output against the mock EHR's ground truth: per resource type, precision, recall and field accuracy.")
        {
            truth, output,
        };
        command.SetAction(parse =>
        {
            var truthDir = parse.GetValue(truth)!;
            var outDir = parse.GetValue(output)!;
            foreach (var dir in new[] { truthDir, outDir }.Where(d => !d.Exists))
            {
                Console.Error.WriteLine($"error: folder '{dir.FullName}' does not exist");
                return ExitCodes.CouldNotRun;
            }
            var score = FidelityScore.Compare(truthDir.FullName, outDir.FullName);
            Console.Write(FidelityScore.Format(score));
            Console.WriteLine($"{score.Differences.Count} difference(s)");
            // Differences name hashes, never values; grouped by what differs, they show where a playbook falls short.
            foreach (var group in score.Differences.GroupBy(FidelityScore.Kind).OrderByDescending(g => g.Count()))
            {
                Console.WriteLine($"  {group.Count(),6}  {group.Key}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
